-- 005-line-kinds.sql: what a line is and what paid for it, shared by the
-- loyalty, value-account and sync work. A line is goods (revenue, taxed),
-- a value issue (a voucher or prepaid card sold or topped up: a liability,
-- no tax), an account payment (a customer settling what they owe) or a
-- visit (a product paid by one visit of a count card). reference names
-- the value account or count card. Tenders may now be a voucher or a
-- charge to a customer account; SQLite cannot change a CHECK, so
-- sale_tenders is rebuilt (nothing references it).
ALTER TABLE sale_lines ADD COLUMN line_kind TEXT NOT NULL DEFAULT 'goods'
  CHECK (line_kind IN ('goods', 'value', 'account', 'visit'));
ALTER TABLE sale_lines ADD COLUMN reference TEXT;
ALTER TABLE parked_sale_lines ADD COLUMN line_kind TEXT NOT NULL DEFAULT 'goods'
  CHECK (line_kind IN ('goods', 'value', 'account', 'visit'));
ALTER TABLE parked_sale_lines ADD COLUMN reference TEXT;

CREATE TABLE sale_tenders_new (
  sale_id   INTEGER NOT NULL REFERENCES sales (id),
  position  INTEGER NOT NULL,
  kind      TEXT NOT NULL
            CHECK (kind IN ('cash', 'card', 'other', 'points', 'voucher', 'account')),
  amount    INTEGER NOT NULL,
  reference TEXT,
  PRIMARY KEY (sale_id, position)
) WITHOUT ROWID;
INSERT INTO sale_tenders_new SELECT sale_id, position, kind, amount, reference
  FROM sale_tenders;
DROP TABLE sale_tenders;
ALTER TABLE sale_tenders_new RENAME TO sale_tenders;
