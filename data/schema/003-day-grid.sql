-- 003-day-grid.sql: reports group by the shop's local business day; a
-- stored day column with a covering index is ~3x faster than computing
-- the day from created_at (FIELD-NOTES). Existing sales are back-filled
-- with the local date of their time. Products gain a grid position and
-- how an in-store barcode embeds its value (price or weight).

ALTER TABLE sales ADD COLUMN business_day TEXT;
UPDATE sales
   SET business_day = date (created_at / 1000000, 'unixepoch', 'localtime');
CREATE INDEX sales_business_day ON sales (business_day, kind, total);

ALTER TABLE products ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
ALTER TABLE products ADD COLUMN embed TEXT NOT NULL DEFAULT 'none'
  CHECK (embed IN ('none', 'price', 'weight'));
DROP INDEX products_category;
CREATE INDEX products_grid ON products (category_id, position, name);
CREATE INDEX products_order ON products (position, name);
