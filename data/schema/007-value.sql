-- 007-value.sql: value accounts (gift vouchers, prepaid cards, customer
-- accounts) and e-coupons. A balance is the sum of an append-only ledger
-- (triggers refuse UPDATE and DELETE); the rows of a sale are unique per
-- sale, account and kind, so a retried commit or a replayed sync can
-- never count them twice. Holds reserve an amount while a sale is being
-- paid; a hold's state moves at most once. A coupon code is redeemed by
-- inserting it into coupon_redemptions, whose primary key is the code:
-- two registers racing for one code cannot both succeed.

CREATE TABLE value_accounts (
  id           INTEGER PRIMARY KEY,
  number       TEXT NOT NULL UNIQUE,
  kind         TEXT NOT NULL CHECK (kind IN ('gift', 'prepaid', 'customer_account')),
  customer_id  INTEGER REFERENCES customers (id),
  expires_at   INTEGER,                  -- unix microseconds; NULL: never
  credit_limit INTEGER NOT NULL DEFAULT 0 CHECK (credit_limit >= 0),
  store        TEXT NOT NULL,
  external     INTEGER NOT NULL DEFAULT 0,
  created_at   INTEGER NOT NULL,
  CHECK (kind <> 'customer_account' OR customer_id IS NOT NULL)
);
CREATE INDEX value_accounts_customer ON value_accounts (customer_id)
  WHERE customer_id IS NOT NULL;
-- One pay-later account per customer.
CREATE UNIQUE INDEX value_accounts_one_per_customer ON value_accounts (customer_id)
  WHERE kind = 'customer_account';

CREATE TABLE value_ledger (
  id          INTEGER PRIMARY KEY,
  account_id  INTEGER NOT NULL REFERENCES value_accounts (id),
  kind        TEXT NOT NULL
              CHECK (kind IN ('issue', 'topup', 'redeem', 'refund', 'expire',
                              'adjust', 'charge', 'payment')),
  amount      INTEGER NOT NULL CHECK (amount <> 0),
  reason      TEXT,
  staff_id    INTEGER REFERENCES staff (id),
  sale_id     INTEGER REFERENCES sales (id),
  sale_uuid   TEXT,
  created_at  INTEGER NOT NULL,
  CHECK (kind IN ('adjust', 'expire', 'payment') OR sale_uuid IS NOT NULL),
  CHECK (kind <> 'adjust' OR (reason IS NOT NULL AND reason <> ''))
);
CREATE INDEX value_ledger_account ON value_ledger (account_id, created_at);
CREATE INDEX value_ledger_sale ON value_ledger (sale_id) WHERE sale_id IS NOT NULL;
CREATE UNIQUE INDEX value_ledger_once ON value_ledger (sale_uuid, account_id, kind)
  WHERE sale_uuid IS NOT NULL;
CREATE TRIGGER value_ledger_no_update BEFORE UPDATE ON value_ledger
BEGIN
  SELECT RAISE (ABORT, 'value_ledger is append-only');
END;
CREATE TRIGGER value_ledger_no_delete BEFORE DELETE ON value_ledger
BEGIN
  SELECT RAISE (ABORT, 'value_ledger is append-only');
END;

CREATE TABLE value_holds (
  id          TEXT PRIMARY KEY,          -- uuid, also known to a remote authority
  account_id  INTEGER NOT NULL REFERENCES value_accounts (id),
  amount      INTEGER NOT NULL CHECK (amount > 0),
  sale_uuid   TEXT NOT NULL,
  state       TEXT NOT NULL DEFAULT 'held'
              CHECK (state IN ('held', 'captured', 'released', 'expired')),
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  finished_at INTEGER
);
CREATE INDEX value_holds_account ON value_holds (account_id) WHERE state = 'held';
CREATE INDEX value_holds_sale ON value_holds (sale_uuid);
CREATE TRIGGER value_holds_once BEFORE UPDATE ON value_holds
  WHEN OLD.state <> 'held' OR NEW.state = 'held'
    OR NEW.amount <> OLD.amount OR NEW.account_id <> OLD.account_id
BEGIN
  SELECT RAISE (ABORT, 'a hold moves at most once');
END;
CREATE TRIGGER value_holds_no_delete BEFORE DELETE ON value_holds
BEGIN
  SELECT RAISE (ABORT, 'value_holds are kept');
END;

CREATE TABLE coupon_campaigns (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL CHECK (name <> ''),
  kind        TEXT NOT NULL CHECK (kind IN ('amount', 'percent', 'free_item')),
  value       INTEGER NOT NULL DEFAULT 0 CHECK (value >= 0),
  min_spend   INTEGER NOT NULL DEFAULT 0 CHECK (min_spend >= 0),
  valid_from  INTEGER,
  valid_until INTEGER,
  max_uses    INTEGER NOT NULL DEFAULT 1 CHECK (max_uses = 1),
  active      INTEGER NOT NULL DEFAULT 1,
  created_at  INTEGER NOT NULL,
  CHECK (kind <> 'percent' OR value <= 10000)
);

-- What a campaign applies to: products or categories (none: everything).
CREATE TABLE coupon_targets (
  campaign_id INTEGER NOT NULL REFERENCES coupon_campaigns (id) ON DELETE CASCADE,
  product_id  INTEGER REFERENCES products (id),
  category_id INTEGER REFERENCES categories (id),
  CHECK ((product_id IS NULL) <> (category_id IS NULL))
);
CREATE INDEX coupon_targets_campaign ON coupon_targets (campaign_id);

CREATE TABLE coupon_codes (
  code        TEXT PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES coupon_campaigns (id),
  customer_id INTEGER REFERENCES customers (id),
  issued_at   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX coupon_codes_campaign ON coupon_codes (campaign_id);

CREATE TABLE coupon_redemptions (
  code        TEXT PRIMARY KEY REFERENCES coupon_codes (code),
  sale_id     INTEGER NOT NULL REFERENCES sales (id),
  sale_uuid   TEXT NOT NULL,
  redeemed_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER coupon_redemptions_no_update BEFORE UPDATE ON coupon_redemptions
BEGIN
  SELECT RAISE (ABORT, 'coupon_redemptions is append-only');
END;
CREATE TRIGGER coupon_redemptions_no_delete BEFORE DELETE ON coupon_redemptions
BEGIN
  SELECT RAISE (ABORT, 'coupon_redemptions is append-only');
END;
