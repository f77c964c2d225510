-- 015-coupon-elsewhere.sql: codes another register redeemed, as the
-- server's changes feed tells (entity coupon_redemption). A register's
-- own redemptions stay in coupon_redemptions, tied to its sale; these
-- have no local sale. With them the back office counts a code used at
-- another store as used, and a till offline refuses it instead of
-- taking it again (the server would record that as a conflict).
CREATE TABLE coupon_redeemed_elsewhere (
  code        TEXT PRIMARY KEY,
  register_id INTEGER NOT NULL,
  sale_uuid   TEXT NOT NULL,
  redeemed_at INTEGER NOT NULL
) WITHOUT ROWID;
