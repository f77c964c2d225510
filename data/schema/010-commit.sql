-- 010-commit.sql: a cheaper sale commit, the same facts. Measured on the
-- register's benchmark (5 lines, cash), three things cost more than the
-- rows themselves.
--
-- A CHECK (x IN ('a', 'b', 'c')) with more than two values builds a
-- temporary b-tree each time a row is written: 13 per sale, a fifth of
-- the commit's CPU. The same checks spelt with OR compile to plain
-- comparisons. SQLite cannot change a CHECK in place and rebuilding
-- sales and sale_lines would copy every sale ever made, so the table
-- definitions are edited where SQLite keeps them, as its documentation
-- allows for constraints the stored rows already satisfy
-- (lang_altertable.html, "other kinds of table schema changes"); RESET
-- makes this connection read them back, and the DDL below moves the
-- schema cookie on for any other. A definition spelt differently is left
-- as it was: slower, never looser.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace (sql, 'discount_kind IN (''none'', ''percent'', ''amount'')',
                      'discount_kind = ''none'' OR discount_kind = ''percent'''
                      || ' OR discount_kind = ''amount''')
 WHERE type = 'table' AND name IN ('sales', 'sale_lines');
UPDATE sqlite_schema
   SET sql = replace (sql, 'line_kind IN (''goods'', ''value'', ''account'', ''visit'')',
                      'line_kind = ''goods'' OR line_kind = ''value'''
                      || ' OR line_kind = ''account'' OR line_kind = ''visit''')
 WHERE type = 'table' AND name = 'sale_lines';
UPDATE sqlite_schema
   SET sql = replace (sql, 'kind IN (''cash'', ''card'', ''other'', ''points'', ''voucher'', ''account'')',
                      'kind = ''cash'' OR kind = ''card'' OR kind = ''other'''
                      || ' OR kind = ''points'' OR kind = ''voucher'' OR kind = ''account''')
 WHERE type = 'table' AND name = 'sale_tenders';
PRAGMA writable_schema = RESET;

-- The commit brings the report summaries up to date itself, a statement
-- per summary per sale (joren-sale-db.c), with 009's keys and arithmetic:
-- they end up as the triggers left them. Those ran per line (a
-- sub-program, a statement journal and a look-up of the sale each), and
-- a trigger on a table costs every row written to it a statement journal,
-- even one that does nothing. Sales written some other way (generated,
-- imported) are added up by joren_db_rebuild_reports.
DROP TRIGGER report_sale_insert;
DROP TRIGGER report_line_insert_goods;
DROP TRIGGER report_line_insert_other;

-- Written at a random page by every line, read by nothing: the queries
-- on products bought go through the customer's sales (sales_customer),
-- and products are never deleted (only made inactive).
DROP INDEX sale_lines_product;
