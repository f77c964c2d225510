-- 004-customers.sql: customers and loyalty. A customer has a gapless
-- member number per store prefix, any number of cards (barcode, QR, RFID
-- UID) and phone numbers stored normalised (+819012345678) with their
-- last four digits indexed for the till's quick lookup. Names and their
-- reading (フリガナ, stored in katakana) have NOCASE indexes so a prefix
-- search is a range scan (LIKE would scan the table, FIELD-NOTES).
-- Points live in an append-only ledger: a balance is always the sum of
-- its rows, never a stored number that could drift, and triggers refuse
-- UPDATE and DELETE. Ledger rows of a sale are written in the sale's own
-- transaction and are unique per sale, kind and sign, so a retried commit
-- or a replayed sync can never count them twice. Sales remember their
-- customer, and tenders may be paid in points.

CREATE TABLE loyalty_tiers (
  level         INTEGER PRIMARY KEY CHECK (level >= 0),
  name          TEXT NOT NULL CHECK (name <> ''),
  -- Spend over the trailing period (loyalty.tier_months) to reach it.
  min_spend     INTEGER NOT NULL CHECK (min_spend >= 0),
  multiplier_bp INTEGER NOT NULL DEFAULT 10000 CHECK (multiplier_bp >= 0)
);
INSERT INTO loyalty_tiers (level, name, min_spend) VALUES (0, 'Member', 0);

CREATE TABLE customers (
  id            INTEGER PRIMARY KEY,
  member_no     TEXT NOT NULL UNIQUE,
  name          TEXT NOT NULL DEFAULT '',
  reading       TEXT NOT NULL DEFAULT '',
  email         TEXT,
  birthday      TEXT,            -- 'YYYY-MM-DD'
  postal_code   TEXT,
  address       TEXT,
  tier          INTEGER NOT NULL DEFAULT 0,
  consent_email INTEGER NOT NULL DEFAULT 0,
  consent_post  INTEGER NOT NULL DEFAULT 0,
  consent_sms   INTEGER NOT NULL DEFAULT 0,
  notes         TEXT,
  store         TEXT NOT NULL,
  created_at    INTEGER NOT NULL
);
CREATE INDEX customers_name ON customers (name COLLATE NOCASE);
CREATE INDEX customers_reading ON customers (reading COLLATE NOCASE);

-- The scanned code is the key: a scan that is no product is tried here.
CREATE TABLE customer_cards (
  code        TEXT PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  kind        TEXT NOT NULL CHECK (kind IN ('barcode', 'qr', 'rfid')),
  added_at    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX customer_cards_customer ON customer_cards (customer_id);

-- Not unique: two customers may share a number (a family landline); the
-- data layer flags the duplicate and registers only when told to.
CREATE TABLE customer_phones (
  customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  phone       TEXT NOT NULL,     -- normalised: '+' and digits
  last4       TEXT NOT NULL,
  entered     TEXT NOT NULL,     -- as typed, for display
  PRIMARY KEY (customer_id, phone)
) WITHOUT ROWID;
CREATE INDEX customer_phones_phone ON customer_phones (phone);
CREATE INDEX customer_phones_last4 ON customer_phones (last4);

-- Gapless member numbers, one counter per store prefix.
CREATE TABLE member_sequences (
  prefix TEXT PRIMARY KEY,
  next   INTEGER NOT NULL CHECK (next >= 1)
) WITHOUT ROWID;

-- Earning multipliers the owner sets. kind 'product' / 'category': that
-- item earns multiplier_bp (20000 = double); 'window': every item in the
-- period [starts_at, ends_at) (either may be NULL), on the weekdays of
-- the mask (bit 0 = Monday; 0 = every day) and local minutes of the day
-- [minute_from, minute_to); 'exclude': the product or category earns none.
CREATE TABLE loyalty_rules (
  id            INTEGER PRIMARY KEY,
  kind          TEXT NOT NULL CHECK (kind IN ('product', 'category', 'window', 'exclude')),
  product_id    INTEGER REFERENCES products (id) ON DELETE CASCADE,
  category_id   INTEGER REFERENCES categories (id) ON DELETE CASCADE,
  multiplier_bp INTEGER NOT NULL DEFAULT 10000 CHECK (multiplier_bp >= 0),
  starts_at     INTEGER,
  ends_at       INTEGER,
  weekdays      INTEGER NOT NULL DEFAULT 0,
  minute_from   INTEGER NOT NULL DEFAULT 0,
  minute_to     INTEGER NOT NULL DEFAULT 1440,
  CHECK (kind = 'window' OR product_id IS NOT NULL OR category_id IS NOT NULL)
);

CREATE TABLE points_ledger (
  id          INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers (id),
  kind        TEXT NOT NULL
              CHECK (kind IN ('earn', 'redeem', 'adjust', 'expire', 'reversal')),
  points      INTEGER NOT NULL CHECK (points <> 0),
  reason      TEXT,
  staff_id    INTEGER REFERENCES staff (id),
  sale_id     INTEGER REFERENCES sales (id),
  sale_uuid   TEXT,
  created_at  INTEGER NOT NULL,
  CHECK (kind IN ('adjust', 'expire') OR sale_uuid IS NOT NULL),
  CHECK (kind <> 'adjust' OR (reason IS NOT NULL AND reason <> ''))
);
CREATE INDEX points_ledger_customer ON points_ledger (customer_id, created_at);
-- A refund writes two reversals (earned points back, spent points
-- restored): the sign tells them apart.
CREATE UNIQUE INDEX points_ledger_once ON points_ledger (sale_uuid, kind, points > 0)
  WHERE sale_uuid IS NOT NULL;
CREATE TRIGGER points_ledger_no_update BEFORE UPDATE ON points_ledger
BEGIN
  SELECT RAISE (ABORT, 'points_ledger is append-only');
END;
CREATE TRIGGER points_ledger_no_delete BEFORE DELETE ON points_ledger
BEGIN
  SELECT RAISE (ABORT, 'points_ledger is append-only');
END;

ALTER TABLE sales ADD COLUMN customer_id INTEGER REFERENCES customers (id);
CREATE INDEX sales_customer ON sales (customer_id, created_at)
  WHERE customer_id IS NOT NULL;
-- A parked sale keeps its customer until it is recalled.
ALTER TABLE parked_sales ADD COLUMN customer_id INTEGER REFERENCES customers (id);

-- Tenders may be paid in points: SQLite cannot change a CHECK, so the
-- table is rebuilt (nothing references it).
CREATE TABLE sale_tenders_new (
  sale_id   INTEGER NOT NULL REFERENCES sales (id),
  position  INTEGER NOT NULL,
  kind      TEXT NOT NULL CHECK (kind IN ('cash', 'card', 'other', 'points')),
  amount    INTEGER NOT NULL,
  reference TEXT,
  PRIMARY KEY (sale_id, position)
) WITHOUT ROWID;
INSERT INTO sale_tenders_new SELECT sale_id, position, kind, amount, reference
  FROM sale_tenders;
DROP TABLE sale_tenders;
ALTER TABLE sale_tenders_new RENAME TO sale_tenders;

-- Loyalty settings (the owner changes them in the back office):
-- earn earn_points per earn_amount minor units of what was paid (after
-- discounts, not counting what was paid in points), rounded down once
-- per sale; redeem: redeem_value minor units per redeem_points points,
-- at least redeem_min points at a time; points expire expiry_months
-- after they were earned (0: never); tiers look back tier_months.
-- The cashier's hint: regular at the Nth visit, birthday within N days,
-- absent after N days.
INSERT OR IGNORE INTO settings (key, value) VALUES
  ('loyalty.earn_amount', '100'),
  ('loyalty.earn_points', '1'),
  ('loyalty.redeem_points', '1'),
  ('loyalty.redeem_value', '1'),
  ('loyalty.redeem_min', '100'),
  ('loyalty.expiry_months', '12'),
  ('loyalty.tier_months', '12'),
  ('customer.hint_regular_visit', '3'),
  ('customer.hint_birthday_days', '7'),
  ('customer.hint_absent_days', '60');
