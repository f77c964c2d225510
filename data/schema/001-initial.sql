-- 001-initial.sql: the first schema: shop settings, the catalogue, staff
-- and sales. Money is INTEGER minor units; times are unix microseconds UTC.
-- Applied in one transaction by joren-db.c, which then sets user_version.

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE tax_classes (
  id      INTEGER PRIMARY KEY,
  code    TEXT NOT NULL UNIQUE,
  name    TEXT NOT NULL,
  rate_bp INTEGER NOT NULL CHECK (rate_bp >= 0)
);

CREATE TABLE categories (
  id       INTEGER PRIMARY KEY,
  name     TEXT NOT NULL UNIQUE,
  colour   TEXT,
  position INTEGER NOT NULL DEFAULT 0,
  active   INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE products (
  id           INTEGER PRIMARY KEY,
  sku          TEXT UNIQUE,
  name         TEXT NOT NULL CHECK (name <> ''),
  price        INTEGER NOT NULL CHECK (price >= 0),
  tax_class_id INTEGER NOT NULL REFERENCES tax_classes (id),
  category_id  INTEGER REFERENCES categories (id),
  colour       TEXT,
  active       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX products_category ON products (category_id, name);
-- NOCASE: the search box matches "milch" to "Milchkaffee" with a range scan.
CREATE INDEX products_name ON products (name COLLATE NOCASE);

-- Scans hit this first: the code is the key, no rowid indirection.
CREATE TABLE barcodes (
  code       TEXT PRIMARY KEY,
  product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX barcodes_product ON barcodes (product_id);

CREATE TABLE staff (
  id              INTEGER PRIMARY KEY,
  name            TEXT NOT NULL CHECK (name <> ''),
  role            TEXT NOT NULL CHECK (role IN ('cashier', 'manager', 'owner')),
  pin_hash        TEXT NOT NULL,
  active          INTEGER NOT NULL DEFAULT 1,
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  locked_until    INTEGER NOT NULL DEFAULT 0
);

-- One gapless counter per register prefix, bumped in the sale's own
-- transaction: a rolled back sale leaves no hole in the numbering.
CREATE TABLE receipt_sequences (
  prefix TEXT PRIMARY KEY,
  next   INTEGER NOT NULL CHECK (next >= 1)
) WITHOUT ROWID;

CREATE TABLE sales (
  id                 INTEGER PRIMARY KEY,
  uuid               TEXT NOT NULL UNIQUE,
  receipt_no         TEXT NOT NULL UNIQUE,
  kind               TEXT NOT NULL CHECK (kind IN ('sale', 'refund')),
  original_sale_id   INTEGER REFERENCES sales (id),
  staff_id           INTEGER REFERENCES staff (id),
  staff_name         TEXT NOT NULL,
  created_at         INTEGER NOT NULL,
  currency           TEXT NOT NULL,
  prices_include_tax INTEGER NOT NULL,
  subtotal           INTEGER NOT NULL,
  discount_total     INTEGER NOT NULL,
  tax_total          INTEGER NOT NULL,
  total              INTEGER NOT NULL,
  paid               INTEGER NOT NULL,
  change             INTEGER NOT NULL,
  discount_kind      TEXT NOT NULL DEFAULT 'none'
                     CHECK (discount_kind IN ('none', 'percent', 'amount')),
  discount_value     INTEGER NOT NULL DEFAULT 0,
  CHECK (kind = 'sale' OR original_sale_id IS NOT NULL)
);
CREATE INDEX sales_original ON sales (original_sale_id)
  WHERE original_sale_id IS NOT NULL;

CREATE TABLE sale_lines (
  id               INTEGER PRIMARY KEY,
  sale_id          INTEGER NOT NULL REFERENCES sales (id),
  position         INTEGER NOT NULL,
  product_id       INTEGER REFERENCES products (id),
  name             TEXT NOT NULL,
  barcode          TEXT,
  qty              INTEGER NOT NULL,
  unit_price       INTEGER NOT NULL,
  fixed            INTEGER NOT NULL DEFAULT 0,
  fixed_amount     INTEGER NOT NULL DEFAULT 0,
  weight_g         INTEGER NOT NULL DEFAULT 0,
  tax_class_id     INTEGER REFERENCES tax_classes (id),
  rate_bp          INTEGER NOT NULL,
  discount_kind    TEXT NOT NULL DEFAULT 'none'
                   CHECK (discount_kind IN ('none', 'percent', 'amount')),
  discount_value   INTEGER NOT NULL DEFAULT 0,
  base             INTEGER NOT NULL,
  line_discount    INTEGER NOT NULL,
  receipt_discount INTEGER NOT NULL,
  amount           INTEGER NOT NULL,
  original_line_id INTEGER REFERENCES sale_lines (id),
  UNIQUE (sale_id, position)
);
CREATE INDEX sale_lines_product ON sale_lines (product_id);
CREATE INDEX sale_lines_original ON sale_lines (original_line_id)
  WHERE original_line_id IS NOT NULL;

CREATE TABLE sale_taxes (
  sale_id INTEGER NOT NULL REFERENCES sales (id),
  rate_bp INTEGER NOT NULL,
  net     INTEGER NOT NULL,
  tax     INTEGER NOT NULL,
  gross   INTEGER NOT NULL,
  PRIMARY KEY (sale_id, rate_bp)
) WITHOUT ROWID;

CREATE TABLE sale_tenders (
  sale_id   INTEGER NOT NULL REFERENCES sales (id),
  position  INTEGER NOT NULL,
  kind      TEXT NOT NULL CHECK (kind IN ('cash', 'card', 'other')),
  amount    INTEGER NOT NULL,
  reference TEXT,
  PRIMARY KEY (sale_id, position)
) WITHOUT ROWID;
