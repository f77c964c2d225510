-- 009-backoffice.sql: the back office. Reports read per-day summaries
-- that triggers keep in step with every sale inserted, however it got
-- there (the till's commit, the sync server, a test), so a year over a
-- million sale lines reads thousands of rows, not millions; the
-- summaries are back-filled from the sales already stored. A per-customer
-- visit summary makes "lapsed customers" an index range. Z reports are
-- numbered per register from a gapless counter bumped in the closing
-- transaction, and like the audit log they are append-only. Staff gain
-- cards and a time clock; lines voided at the till are logged.

-- Sales by business day, local hour, store (register prefix), staff,
-- member or not, and kind: receipts, goods gross (value issues and
-- account payments are not revenue), tax, discounts.
CREATE TABLE report_days (
  business_day TEXT NOT NULL,
  hour         INTEGER NOT NULL,
  store        TEXT NOT NULL,
  staff_id     INTEGER NOT NULL,
  member       INTEGER NOT NULL,
  kind         TEXT NOT NULL,
  n            INTEGER NOT NULL DEFAULT 0,
  gross        INTEGER NOT NULL DEFAULT 0,
  tax          INTEGER NOT NULL DEFAULT 0,
  discounts    INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (business_day, store, hour, staff_id, member, kind)
) WITHOUT ROWID;

-- Goods by business day, store and product (0: open items). A line's
-- tax is its share at its rate, rounded half away from zero per line.
CREATE TABLE report_product_days (
  business_day TEXT NOT NULL,
  store        TEXT NOT NULL,
  product_id   INTEGER NOT NULL,
  qty          INTEGER NOT NULL DEFAULT 0,
  net          INTEGER NOT NULL DEFAULT 0,
  tax          INTEGER NOT NULL DEFAULT 0,
  gross        INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (business_day, store, product_id)
) WITHOUT ROWID;

-- Visits (sales, not refunds) and spend (sales minus refunds) per
-- customer.
CREATE TABLE customer_visits (
  customer_id INTEGER PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
  first_visit INTEGER,
  last_visit  INTEGER,
  visits      INTEGER NOT NULL DEFAULT 0,
  spend       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX customer_visits_last ON customer_visits (last_visit);
CREATE INDEX customer_visits_first ON customer_visits (first_visit);
-- Only member sales: an anonymous sale (most of them) then writes one
-- index page less in its commit.
CREATE INDEX sales_day_customer ON sales (business_day, customer_id, kind)
  WHERE customer_id IS NOT NULL;
CREATE INDEX customers_birthday ON customers (substr (birthday, 6, 2))
  WHERE birthday IS NOT NULL;
CREATE INDEX customers_tier ON customers (tier);

-- The register prefix of a receipt number "R1-000042" is "R1".
CREATE TRIGGER report_sale_insert AFTER INSERT ON sales
BEGIN
  INSERT INTO report_days (business_day, hour, store, staff_id, member, kind,
                           n, gross, tax, discounts)
  VALUES (NEW.business_day,
          CAST (strftime ('%H', NEW.created_at / 1000000, 'unixepoch', 'localtime') AS INTEGER),
          rtrim (rtrim (NEW.receipt_no, '0123456789'), '-'),
          coalesce (NEW.staff_id, 0), NEW.customer_id IS NOT NULL, NEW.kind,
          1, NEW.total, NEW.tax_total, NEW.discount_total)
  ON CONFLICT DO UPDATE SET n = n + 1, gross = gross + excluded.gross,
    tax = tax + excluded.tax, discounts = discounts + excluded.discounts;
  INSERT INTO customer_visits (customer_id, first_visit, last_visit, visits, spend)
  SELECT NEW.customer_id,
         CASE NEW.kind WHEN 'sale' THEN NEW.created_at END,
         CASE NEW.kind WHEN 'sale' THEN NEW.created_at END,
         NEW.kind = 'sale', NEW.total
   WHERE NEW.customer_id IS NOT NULL
  ON CONFLICT DO UPDATE SET
    first_visit = CASE WHEN excluded.first_visit IS NULL THEN first_visit
                       ELSE min (coalesce (first_visit, excluded.first_visit), excluded.first_visit) END,
    last_visit  = CASE WHEN excluded.last_visit IS NULL THEN last_visit
                       ELSE max (coalesce (last_visit, excluded.last_visit), excluded.last_visit) END,
    visits = visits + excluded.visits, spend = spend + excluded.spend;
END;

-- Lines that are not goods leave the goods gross of their sale's day.
CREATE TRIGGER report_line_insert_other AFTER INSERT ON sale_lines
  WHEN NEW.line_kind <> 'goods'
BEGIN
  UPDATE report_days SET gross = gross - NEW.amount
   WHERE (business_day, hour, store, staff_id, member, kind) =
         (SELECT business_day,
                 CAST (strftime ('%H', created_at / 1000000, 'unixepoch', 'localtime') AS INTEGER),
                 rtrim (rtrim (receipt_no, '0123456789'), '-'),
                 coalesce (staff_id, 0), customer_id IS NOT NULL, kind
            FROM sales WHERE id = NEW.sale_id);
END;

CREATE TRIGGER report_line_insert_goods AFTER INSERT ON sale_lines
  WHEN NEW.line_kind = 'goods'
BEGIN
  INSERT INTO report_product_days (business_day, store, product_id, qty, net, tax, gross)
  SELECT business_day, store, coalesce (NEW.product_id, 0), NEW.qty,
         gross - tax, tax, gross
    FROM (SELECT s.business_day AS business_day,
                 rtrim (rtrim (s.receipt_no, '0123456789'), '-') AS store,
                 CASE WHEN s.prices_include_tax
                      THEN NEW.amount
                      ELSE NEW.amount + (2 * NEW.amount * NEW.rate_bp
                                         + (CASE WHEN NEW.amount < 0 THEN -1 ELSE 1 END) * 10000)
                                        / 20000 END AS gross,
                 CASE WHEN s.prices_include_tax
                      THEN (2 * NEW.amount * NEW.rate_bp
                            + (CASE WHEN NEW.amount < 0 THEN -1 ELSE 1 END) * (10000 + NEW.rate_bp))
                           / (2 * (10000 + NEW.rate_bp))
                      ELSE (2 * NEW.amount * NEW.rate_bp
                            + (CASE WHEN NEW.amount < 0 THEN -1 ELSE 1 END) * 10000)
                           / 20000 END AS tax
            FROM sales s WHERE s.id = NEW.sale_id) WHERE TRUE
  ON CONFLICT DO UPDATE SET qty = qty + excluded.qty, net = net + excluded.net,
    tax = tax + excluded.tax, gross = gross + excluded.gross;
END;

-- Back-fill from what is stored already.
INSERT INTO report_days (business_day, hour, store, staff_id, member, kind, n, gross, tax, discounts)
SELECT business_day,
       CAST (strftime ('%H', created_at / 1000000, 'unixepoch', 'localtime') AS INTEGER) AS h,
       rtrim (rtrim (receipt_no, '0123456789'), '-') AS st,
       coalesce (staff_id, 0) AS sf, customer_id IS NOT NULL AS m, kind,
       count (*),
       sum (total - coalesce ((SELECT sum (amount) FROM sale_lines l
                                WHERE l.sale_id = sales.id AND l.line_kind <> 'goods'), 0)),
       sum (tax_total), sum (discount_total)
  FROM sales WHERE business_day IS NOT NULL
 GROUP BY business_day, h, st, sf, m, kind;

INSERT INTO report_product_days (business_day, store, product_id, qty, net, tax, gross)
SELECT business_day, store, pid, sum (qty), sum (gross - tax), sum (tax), sum (gross)
  FROM (SELECT s.business_day AS business_day,
               rtrim (rtrim (s.receipt_no, '0123456789'), '-') AS store,
               coalesce (l.product_id, 0) AS pid, l.qty AS qty,
               CASE WHEN s.prices_include_tax THEN l.amount
                    ELSE l.amount + (2 * l.amount * l.rate_bp
                                     + (CASE WHEN l.amount < 0 THEN -1 ELSE 1 END) * 10000) / 20000
               END AS gross,
               CASE WHEN s.prices_include_tax
                    THEN (2 * l.amount * l.rate_bp
                          + (CASE WHEN l.amount < 0 THEN -1 ELSE 1 END) * (10000 + l.rate_bp))
                         / (2 * (10000 + l.rate_bp))
                    ELSE (2 * l.amount * l.rate_bp
                          + (CASE WHEN l.amount < 0 THEN -1 ELSE 1 END) * 10000) / 20000
               END AS tax
          FROM sale_lines l JOIN sales s ON s.id = l.sale_id
         WHERE l.line_kind = 'goods' AND s.business_day IS NOT NULL)
 GROUP BY business_day, store, pid;

INSERT INTO customer_visits (customer_id, first_visit, last_visit, visits, spend)
SELECT customer_id,
       min (CASE kind WHEN 'sale' THEN created_at END),
       max (CASE kind WHEN 'sale' THEN created_at END),
       sum (kind = 'sale'), sum (total)
  FROM sales WHERE customer_id IS NOT NULL GROUP BY customer_id;

-- Lines voided at the till before payment.
CREATE TABLE void_log (
  id              INTEGER PRIMARY KEY,
  cash_session_id INTEGER REFERENCES cash_sessions (id),
  staff_id        INTEGER REFERENCES staff (id),
  name            TEXT NOT NULL,
  qty             INTEGER NOT NULL,
  amount          INTEGER NOT NULL,
  created_at      INTEGER NOT NULL
);
CREATE INDEX void_log_session ON void_log (cash_session_id);

-- Z reports: one per closed cash session, numbered per register.
CREATE TABLE z_sequences (
  register TEXT PRIMARY KEY,
  next     INTEGER NOT NULL CHECK (next >= 1)
) WITHOUT ROWID;
CREATE TABLE z_reports (
  id              INTEGER PRIMARY KEY,
  register        TEXT NOT NULL,
  z_no            INTEGER NOT NULL CHECK (z_no >= 1),
  cash_session_id INTEGER NOT NULL UNIQUE REFERENCES cash_sessions (id),
  staff_id        INTEGER REFERENCES staff (id),
  staff_name      TEXT NOT NULL,
  opened_at       INTEGER NOT NULL,
  created_at      INTEGER NOT NULL,
  n_sales         INTEGER NOT NULL,
  sales_total     INTEGER NOT NULL,
  n_refunds       INTEGER NOT NULL,
  refunds_total   INTEGER NOT NULL,
  n_discounts     INTEGER NOT NULL,
  discounts       INTEGER NOT NULL,
  n_voids         INTEGER NOT NULL,
  voids_total     INTEGER NOT NULL,
  net             INTEGER NOT NULL,
  tax             INTEGER NOT NULL,
  gross           INTEGER NOT NULL,
  opening_float   INTEGER NOT NULL,
  cash_expected   INTEGER NOT NULL,
  cash_counted    INTEGER NOT NULL,
  UNIQUE (register, z_no)
);
-- Tender and tax-rate rows of a Z report, in print order.
CREATE TABLE z_report_rows (
  z_id     INTEGER NOT NULL REFERENCES z_reports (id),
  section  TEXT NOT NULL CHECK (section IN ('tender', 'tax')),
  position INTEGER NOT NULL,
  key      TEXT NOT NULL,
  count    INTEGER NOT NULL,
  net      INTEGER NOT NULL,
  tax      INTEGER NOT NULL,
  gross    INTEGER NOT NULL,
  PRIMARY KEY (z_id, section, position)
) WITHOUT ROWID;
CREATE TRIGGER z_reports_no_update BEFORE UPDATE ON z_reports
BEGIN
  SELECT RAISE (ABORT, 'z_reports is append-only');
END;
CREATE TRIGGER z_reports_no_delete BEFORE DELETE ON z_reports
BEGIN
  SELECT RAISE (ABORT, 'z_reports is append-only');
END;
CREATE TRIGGER z_report_rows_no_update BEFORE UPDATE ON z_report_rows
BEGIN
  SELECT RAISE (ABORT, 'z_report_rows is append-only');
END;
CREATE TRIGGER z_report_rows_no_delete BEFORE DELETE ON z_report_rows
BEGIN
  SELECT RAISE (ABORT, 'z_report_rows is append-only');
END;

-- Staff cards sign in and clock in their holder.
CREATE TABLE staff_cards (
  code     TEXT PRIMARY KEY,
  staff_id INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
  added_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX staff_cards_staff ON staff_cards (staff_id);

CREATE TABLE clock_events (
  id       INTEGER PRIMARY KEY,
  staff_id INTEGER NOT NULL REFERENCES staff (id),
  kind     TEXT NOT NULL CHECK (kind IN ('in', 'out')),
  method   TEXT NOT NULL CHECK (method IN ('card', 'pin', 'manager')),
  at       INTEGER NOT NULL,
  day      TEXT NOT NULL        -- local date of at
);
CREATE INDEX clock_events_staff ON clock_events (staff_id, at);
CREATE INDEX clock_events_day ON clock_events (day);

-- Who looked at, exported, merged or removed customer data.
CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY,
  staff_id    INTEGER REFERENCES staff (id),
  action      TEXT NOT NULL
              CHECK (action IN ('view', 'export', 'merge', 'edit', 'anonymise', 'delete')),
  customer_id INTEGER NOT NULL,  -- no foreign key: the log outlives the record
  detail      TEXT,
  at          INTEGER NOT NULL
);
CREATE INDEX audit_log_customer ON audit_log (customer_id, at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE (ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE (ABORT, 'audit_log is append-only');
END;

-- A customer anonymised on request (merged_into is schema 008's).
ALTER TABLE customers ADD COLUMN anonymised_at INTEGER;

-- ---- Promotions (appended by the customers & promotions helper; its
-- ---- code is data/joren-promotion.c). A run is one promotion sent to a
-- segment (or the automatic birthday greetings of a day); each recipient
-- has a row with its status, so the send log shows who got what. A
-- birthday greeting is claimed in birthday_greetings before it is sent:
-- the key (customer, year, channel) makes it at most once a year however
-- often start-up and the day close run.
CREATE TABLE IF NOT EXISTS promotion_runs (
  id           INTEGER PRIMARY KEY,
  kind         TEXT NOT NULL CHECK (kind IN ('campaign', 'birthday')),
  channel      TEXT NOT NULL CHECK (channel IN ('email', 'postcard', 'labels')),
  name         TEXT NOT NULL,
  subject      TEXT,
  body         TEXT NOT NULL,
  staff_id     INTEGER REFERENCES staff (id),
  output_path  TEXT,                 -- postcards and labels: the PDF
  n_excluded   INTEGER NOT NULL DEFAULT 0,  -- left out for lack of consent
  created_at   INTEGER NOT NULL,
  finished_at  INTEGER
);
CREATE TABLE IF NOT EXISTS promotion_recipients (
  run_id      INTEGER NOT NULL REFERENCES promotion_runs (id),
  customer_id INTEGER NOT NULL REFERENCES customers (id),
  status      TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'printed', 'failed')),
  error       TEXT,
  at          INTEGER,
  PRIMARY KEY (run_id, customer_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS promotion_recipients_customer ON promotion_recipients (customer_id);
CREATE TABLE IF NOT EXISTS birthday_greetings (
  customer_id INTEGER NOT NULL REFERENCES customers (id),
  year        INTEGER NOT NULL,
  channel     TEXT NOT NULL,
  run_id      INTEGER REFERENCES promotion_runs (id),
  at          INTEGER NOT NULL,
  PRIMARY KEY (customer_id, year, channel)
) WITHOUT ROWID;
