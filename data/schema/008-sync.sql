-- 008-sync.sql: the register's half of sync. The outbox holds every
-- fact the register must hand to joren-server (sales, customer changes,
-- points entries), each written in the same transaction as the fact, with
-- a random op id, a gapless sequence number and the SHA-256 of its
-- canonical JSON payload; a row leaves only when the server acknowledged
-- it. Customer and points changes are marked in sync_pending by triggers
-- in their own transaction, whatever code wrote them, and turned into ops
-- by joren_outbox_flush (in that transaction when the writer calls it,
-- else in the next one): a change can be late, never lost. Rows that
-- came from the server are written while sync_applying has a row, so
-- they are not sent back.

CREATE TABLE sync_outbox (
  seq              INTEGER PRIMARY KEY CHECK (seq >= 1),
  op_id            TEXT NOT NULL UNIQUE,
  kind             TEXT NOT NULL CHECK (kind IN ('sale', 'customer', 'points', 'value', 'coupon', 'punch')),
  payload          TEXT NOT NULL,   -- canonical JSON
  payload_hash     TEXT NOT NULL,   -- SHA-256 hex of payload
  created_at       INTEGER NOT NULL,
  -- Set when the server refused the op for good (it used up its seq):
  -- kept for the owner to see, never sent again.
  rejected_reason  TEXT,
  rejected_message TEXT
);

-- next_seq: the register's next sequence number (gapless: taken inside
-- the writing transaction); cursor: the changes feed, stored in the
-- transaction that applied the page.
CREATE TABLE sync_state (
  key   TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO sync_state (key, value) VALUES ('next_seq', 1), ('cursor', 0);

CREATE TABLE sync_pending (
  entity    TEXT NOT NULL CHECK (entity IN ('customer', 'points', 'value', 'coupon', 'punch')),
  entity_id INTEGER NOT NULL,
  PRIMARY KEY (entity, entity_id)
) WITHOUT ROWID;

-- Holds one row only inside the transaction that applies a feed page.
CREATE TABLE sync_applying (
  flag INTEGER PRIMARY KEY
);

-- A customer is known across the chain by a random UUID.
ALTER TABLE customers ADD COLUMN uuid TEXT;
UPDATE customers SET uuid = lower (hex (randomblob (4)) || '-' || hex (randomblob (2))
  || '-4' || substr (hex (randomblob (2)), 2) || '-'
  || substr ('89ab', 1 + (abs (random ()) % 4), 1) || substr (hex (randomblob (2)), 2)
  || '-' || hex (randomblob (6)));
CREATE UNIQUE INDEX customers_uuid ON customers (uuid);
CREATE TRIGGER customers_new_uuid AFTER INSERT ON customers WHEN NEW.uuid IS NULL
BEGIN
  UPDATE customers SET uuid = lower (hex (randomblob (4)) || '-' || hex (randomblob (2))
    || '-4' || substr (hex (randomblob (2)), 2) || '-'
    || substr ('89ab', 1 + (abs (random ()) % 4), 1) || substr (hex (randomblob (2)), 2)
    || '-' || hex (randomblob (6)))
  WHERE id = NEW.id;
END;

-- Last-write-wins per field: each synced profile field's value (canonical
-- JSON) as last sent or received, when it changed and on which register
-- (the tie-break). A change that lost is kept in the history.
CREATE TABLE customer_field_clock (
  customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  field       TEXT NOT NULL,
  value       TEXT NOT NULL,
  changed_at  INTEGER NOT NULL,
  register_id INTEGER NOT NULL,
  PRIMARY KEY (customer_id, field)
) WITHOUT ROWID;
CREATE TABLE customer_field_history (
  id          INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  field       TEXT NOT NULL,
  value       TEXT NOT NULL,
  changed_at  INTEGER NOT NULL,
  register_id INTEGER NOT NULL,
  recorded_at INTEGER NOT NULL
);
-- A customer merged into another (the same card registered twice).
ALTER TABLE customers ADD COLUMN merged_into INTEGER REFERENCES customers (id);

-- Points entries from other registers carry the op id they came with;
-- this register's own entries have none.
ALTER TABLE points_ledger ADD COLUMN op_id TEXT;
CREATE UNIQUE INDEX points_ledger_op ON points_ledger (op_id) WHERE op_id IS NOT NULL;

CREATE TRIGGER sync_customer_insert AFTER INSERT ON customers
  WHEN NOT EXISTS (SELECT 1 FROM sync_applying)
BEGIN
  INSERT OR IGNORE INTO sync_pending VALUES ('customer', NEW.id);
END;
CREATE TRIGGER sync_customer_update AFTER UPDATE OF name, reading, email, birthday,
  postal_code, address, consent_email, consent_post, consent_sms, notes ON customers
  WHEN NOT EXISTS (SELECT 1 FROM sync_applying)
BEGIN
  INSERT OR IGNORE INTO sync_pending VALUES ('customer', NEW.id);
END;
CREATE TRIGGER sync_card_insert AFTER INSERT ON customer_cards
  WHEN NOT EXISTS (SELECT 1 FROM sync_applying)
BEGIN
  INSERT OR IGNORE INTO sync_pending VALUES ('customer', NEW.customer_id);
END;
CREATE TRIGGER sync_phone_insert AFTER INSERT ON customer_phones
  WHEN NOT EXISTS (SELECT 1 FROM sync_applying)
BEGIN
  INSERT OR IGNORE INTO sync_pending VALUES ('customer', NEW.customer_id);
END;
CREATE TRIGGER sync_phone_delete AFTER DELETE ON customer_phones
  WHEN NOT EXISTS (SELECT 1 FROM sync_applying)
BEGIN
  INSERT OR IGNORE INTO sync_pending VALUES ('customer', OLD.customer_id);
END;
CREATE TRIGGER sync_points_insert AFTER INSERT ON points_ledger
  WHEN NEW.op_id IS NULL
BEGIN
  INSERT OR IGNORE INTO sync_pending VALUES ('points', NEW.id);
END;

-- Shared balances. Value ledger rows and coupon redemptions are facts the
-- server must hear of (it holds the chain's balances); rows of other
-- registers arrive through the feed with their op id and are not sent
-- back. A coupon redemption is marked by its sale (its key is the code).
ALTER TABLE value_ledger ADD COLUMN op_id TEXT;
CREATE UNIQUE INDEX value_ledger_op ON value_ledger (op_id) WHERE op_id IS NOT NULL;
CREATE TRIGGER sync_value_insert AFTER INSERT ON value_ledger
  WHEN NEW.op_id IS NULL
BEGIN
  INSERT OR IGNORE INTO sync_pending VALUES ('value', NEW.id);
END;
CREATE TRIGGER sync_coupon_insert AFTER INSERT ON coupon_redemptions
  WHEN NOT EXISTS (SELECT 1 FROM sync_applying)
BEGIN
  INSERT OR IGNORE INTO sync_pending VALUES ('coupon', NEW.sale_id);
END;

-- Vouchers and coupon codes accepted while the server could not be
-- reached (value.offline_policy = allow): what the caps count, and what
-- the owner reconciles. outage: when the outage began (unix µs).
CREATE TABLE value_offline (
  hold_id    TEXT PRIMARY KEY,
  number     TEXT NOT NULL,
  amount     INTEGER NOT NULL,
  sale_uuid  TEXT NOT NULL,
  outage     INTEGER NOT NULL,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX value_offline_outage ON value_offline (outage);

-- Count cards and stamps are shared like points: each punch_ledger row
-- is a fact the server hears of, and rows of other registers arrive with
-- their op id. A card is known across the chain by the sale line that
-- issued it (sale_uuid, line_position, seq), so a card sold on another
-- register has no local sale: punch_cards is rebuilt with a nullable
-- sale_id. SQLite cannot drop NOT NULL in place, and with foreign keys on
-- a parent table can only be dropped after its child, so both tables go
-- through copies (006 is the same release: the copies are usually empty).
CREATE TABLE punch_cards_copy AS SELECT * FROM punch_cards;
CREATE TABLE punch_ledger_copy AS SELECT * FROM punch_ledger;
DROP TABLE punch_ledger;
DROP TABLE punch_cards;
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
  sale_id            INTEGER REFERENCES sales (id),   -- NULL: sold on another register
  sale_uuid          TEXT NOT NULL,
  line_position      INTEGER NOT NULL,
  seq                INTEGER NOT NULL,
  UNIQUE (sale_uuid, line_position, seq)
);
INSERT INTO punch_cards SELECT * FROM punch_cards_copy;
CREATE INDEX punch_cards_customer ON punch_cards (customer_id);
CREATE INDEX punch_cards_sale ON punch_cards (sale_id, line_position);
CREATE INDEX punch_cards_expiry ON punch_cards (expires_at) WHERE expires_at IS NOT NULL;
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
  op_id        TEXT,   -- another register's entry: the op it came with
  CHECK ((card_id IS NULL) <> (programme_id IS NULL)),
  CHECK (kind IN ('adjust', 'expire') OR sale_uuid IS NOT NULL),
  CHECK (kind <> 'adjust' OR (reason IS NOT NULL AND reason <> ''))
);
INSERT INTO punch_ledger SELECT *, NULL FROM punch_ledger_copy;
DROP TABLE punch_ledger_copy;
DROP TABLE punch_cards_copy;
CREATE INDEX punch_ledger_card ON punch_ledger (card_id) WHERE card_id IS NOT NULL;
CREATE INDEX punch_ledger_stamps ON punch_ledger (customer_id, programme_id)
  WHERE programme_id IS NOT NULL;
CREATE UNIQUE INDEX punch_ledger_once ON punch_ledger
  (sale_uuid, kind, coalesce (card_id, 0), coalesce (programme_id, 0), units > 0)
  WHERE sale_uuid IS NOT NULL;
CREATE UNIQUE INDEX punch_ledger_expire_once ON punch_ledger (card_id)
  WHERE kind = 'expire';
CREATE UNIQUE INDEX punch_ledger_op ON punch_ledger (op_id) WHERE op_id IS NOT NULL;
CREATE TRIGGER punch_ledger_no_update BEFORE UPDATE ON punch_ledger
BEGIN
  SELECT RAISE (ABORT, 'punch_ledger is append-only');
END;
CREATE TRIGGER punch_ledger_no_delete BEFORE DELETE ON punch_ledger
BEGIN
  SELECT RAISE (ABORT, 'punch_ledger is append-only');
END;
CREATE TRIGGER sync_punch_insert AFTER INSERT ON punch_ledger
  WHEN NEW.op_id IS NULL
BEGIN
  INSERT OR IGNORE INTO sync_pending VALUES ('punch', NEW.id);
END;
