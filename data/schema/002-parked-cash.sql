-- 002-parked-cash.sql: parked (held) sales, so a cashier can serve the
-- next customer while one fetches a wallet, and cash drawer sessions with
-- their opening float. Sales remember the session they were taken in.

CREATE TABLE parked_sales (
  id             INTEGER PRIMARY KEY,
  label          TEXT NOT NULL,
  parked_at      INTEGER NOT NULL,
  staff_id       INTEGER REFERENCES staff (id),
  staff_name     TEXT,
  total          INTEGER NOT NULL,
  n_lines        INTEGER NOT NULL,
  discount_kind  TEXT NOT NULL DEFAULT 'none'
                 CHECK (discount_kind IN ('none', 'percent', 'amount')),
  discount_value INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX parked_sales_at ON parked_sales (parked_at);

CREATE TABLE parked_sale_lines (
  parked_id      INTEGER NOT NULL REFERENCES parked_sales (id) ON DELETE CASCADE,
  position       INTEGER NOT NULL,
  product_id     INTEGER REFERENCES products (id),
  name           TEXT NOT NULL,
  barcode        TEXT,
  qty            INTEGER NOT NULL,
  unit_price     INTEGER NOT NULL,
  fixed          INTEGER NOT NULL DEFAULT 0,
  fixed_amount   INTEGER NOT NULL DEFAULT 0,
  weight_g       INTEGER NOT NULL DEFAULT 0,
  tax_class_id   INTEGER REFERENCES tax_classes (id),
  rate_bp        INTEGER NOT NULL,
  discount_kind  TEXT NOT NULL DEFAULT 'none'
                 CHECK (discount_kind IN ('none', 'percent', 'amount')),
  discount_value INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (parked_id, position)
) WITHOUT ROWID;

CREATE TABLE cash_sessions (
  id            INTEGER PRIMARY KEY,
  opened_by     INTEGER NOT NULL REFERENCES staff (id),
  opened_at     INTEGER NOT NULL,
  opening_float INTEGER NOT NULL CHECK (opening_float >= 0),
  closed_by     INTEGER REFERENCES staff (id),
  closed_at     INTEGER,
  counted       INTEGER
);
-- At most one open drawer session per register file.
CREATE UNIQUE INDEX cash_sessions_one_open ON cash_sessions (opening_float >= 0)
  WHERE closed_at IS NULL;

ALTER TABLE sales ADD COLUMN cash_session_id INTEGER REFERENCES cash_sessions (id);
CREATE INDEX sales_cash_session ON sales (cash_session_id)
  WHERE cash_session_id IS NOT NULL;
