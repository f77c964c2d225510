-- 006-loyalty.sql: count cards (計次卡 / 回数券) and stamp cards. The owner
-- marks a product as a count card ("10 visits of Coffee, valid 180 days");
-- selling it to a customer issues a card, and each visit at the till uses
-- one. A stamp programme gives every Nth qualifying item free. Balances
-- live in one append-only ledger like points_ledger: a card's visits left
-- and a customer's stamps are sums, triggers refuse UPDATE and DELETE, and
-- the rows of a sale are unique per sale, kind, card or programme and
-- sign, so a retried commit or a replayed sync can never count them twice.

-- A product that is a count card: selling it issues `visits` visits of
-- the covered product (or any product of the covered category).
CREATE TABLE punch_products (
  product_id         INTEGER PRIMARY KEY REFERENCES products (id) ON DELETE CASCADE,
  visits             INTEGER NOT NULL CHECK (visits > 0),
  valid_days         INTEGER NOT NULL DEFAULT 0 CHECK (valid_days >= 0),  -- 0: never expires
  covers_product_id  INTEGER REFERENCES products (id),
  covers_category_id INTEGER REFERENCES categories (id),
  CHECK (covers_product_id IS NOT NULL OR covers_category_id IS NOT NULL)
);

-- An issued card: what it was sold as, frozen at the sale, so changing
-- the product later never changes cards already in customers' hands.
CREATE TABLE punch_cards (
  id                 INTEGER PRIMARY KEY,
  customer_id        INTEGER NOT NULL REFERENCES customers (id),
  product_id         INTEGER REFERENCES products (id),
  name               TEXT NOT NULL,
  visits             INTEGER NOT NULL CHECK (visits > 0),
  covers_product_id  INTEGER REFERENCES products (id),
  covers_category_id INTEGER REFERENCES categories (id),
  issued_at          INTEGER NOT NULL,
  expires_at         INTEGER,              -- NULL: never
  sale_id            INTEGER NOT NULL REFERENCES sales (id),
  sale_uuid          TEXT NOT NULL,
  line_position      INTEGER NOT NULL,
  seq                INTEGER NOT NULL,     -- the nth card of a line of qty n
  UNIQUE (sale_uuid, line_position, seq)
);
CREATE INDEX punch_cards_customer ON punch_cards (customer_id);
CREATE INDEX punch_cards_sale ON punch_cards (sale_id, line_position);
CREATE INDEX punch_cards_expiry ON punch_cards (expires_at) WHERE expires_at IS NOT NULL;

-- Every stamps_needed-th qualifying item is free. Removed programmes are
-- kept inactive: the ledger names them.
CREATE TABLE stamp_programmes (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL CHECK (name <> ''),
  product_id    INTEGER REFERENCES products (id),
  category_id   INTEGER REFERENCES categories (id),
  stamps_needed INTEGER NOT NULL CHECK (stamps_needed >= 2),
  active        INTEGER NOT NULL DEFAULT 1,
  CHECK (product_id IS NOT NULL OR category_id IS NOT NULL)
);

-- Cards: issue (+visits), use (-1 a visit), reversal (a refunded visit
-- +, a refunded card -what was left), expire (-what was left), adjust.
-- Stamps: earn (+), redeem (-stamps_needed per free item), reversal, adjust.
CREATE TABLE punch_ledger (
  id           INTEGER PRIMARY KEY,
  customer_id  INTEGER NOT NULL REFERENCES customers (id),
  card_id      INTEGER REFERENCES punch_cards (id),
  programme_id INTEGER REFERENCES stamp_programmes (id),
  kind         TEXT NOT NULL CHECK (kind IN ('issue', 'use', 'earn', 'redeem',
                                             'reversal', 'expire', 'adjust')),
  units        INTEGER NOT NULL CHECK (units <> 0),
  reason       TEXT,
  staff_id     INTEGER REFERENCES staff (id),
  sale_id      INTEGER REFERENCES sales (id),
  sale_uuid    TEXT,
  created_at   INTEGER NOT NULL,
  CHECK ((card_id IS NULL) <> (programme_id IS NULL)),
  CHECK (kind IN ('adjust', 'expire') OR sale_uuid IS NOT NULL),
  CHECK (kind <> 'adjust' OR (reason IS NOT NULL AND reason <> ''))
);
CREATE INDEX punch_ledger_card ON punch_ledger (card_id) WHERE card_id IS NOT NULL;
CREATE INDEX punch_ledger_stamps ON punch_ledger (customer_id, programme_id)
  WHERE programme_id IS NOT NULL;
CREATE UNIQUE INDEX punch_ledger_once ON punch_ledger
  (sale_uuid, kind, coalesce (card_id, 0), coalesce (programme_id, 0), units > 0)
  WHERE sale_uuid IS NOT NULL;
-- A card expires once, however often the day close runs.
CREATE UNIQUE INDEX punch_ledger_expire_once ON punch_ledger (card_id)
  WHERE kind = 'expire';
CREATE TRIGGER punch_ledger_no_update BEFORE UPDATE ON punch_ledger
BEGIN
  SELECT RAISE (ABORT, 'punch_ledger is append-only');
END;
CREATE TRIGGER punch_ledger_no_delete BEFORE DELETE ON punch_ledger
BEGIN
  SELECT RAISE (ABORT, 'punch_ledger is append-only');
END;
