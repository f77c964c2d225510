-- 013-pick.sql: a pick list is one index range scan. At 1,000,000
-- members a list of twenty that reads each customer's row (and its
-- phone) costs twenty random page reads and record decodes: the lists
-- missed their 0.1 ms goal at p99 while a single lookup met it. So
-- each list's index holds everything a row of it shows:
--   * by the last four digits: customer_phones carries copies of its
--     customer's name, reading and member number, and its index is in
--     the list's order (reading, name);
--   * by name or reading: customers carries the phone number lists
--     show (the first by normalised number, as entered), and both
--     indexes carry the member number and that phone.
-- The copies are kept by the triggers below. A new register's first
-- load runs with triggers off: joren-replica.c writes the copies itself
-- there and calls joren_customer_refresh_pick for a customer it merges.

ALTER TABLE customers ADD COLUMN phone TEXT;
ALTER TABLE customer_phones ADD COLUMN name TEXT;
ALTER TABLE customer_phones ADD COLUMN reading TEXT;
ALTER TABLE customer_phones ADD COLUMN member_no TEXT;

UPDATE customer_phones SET (name, reading, member_no) =
  (SELECT name, reading, member_no FROM customers WHERE id = customer_id);
UPDATE customers SET phone =
  (SELECT entered FROM customer_phones WHERE customer_id = customers.id ORDER BY phone LIMIT 1);

DROP INDEX customer_phones_last4;
CREATE INDEX customer_phones_last4 ON customer_phones
  (last4, reading COLLATE NOCASE, name COLLATE NOCASE, customer_id, member_no, entered);
DROP INDEX customers_name;
CREATE INDEX customers_name ON customers
  (name COLLATE NOCASE, reading COLLATE NOCASE, member_no, phone);
DROP INDEX customers_reading;
CREATE INDEX customers_reading ON customers
  (reading COLLATE NOCASE, name COLLATE NOCASE, member_no, phone);

-- A phone written without the copies (every writer but the first load).
CREATE TRIGGER customer_phones_pick_names AFTER INSERT ON customer_phones
  WHEN NEW.name IS NULL
BEGIN
  UPDATE customer_phones SET (name, reading, member_no) =
    (SELECT name, reading, member_no FROM customers WHERE id = NEW.customer_id)
  WHERE customer_id = NEW.customer_id AND phone = NEW.phone;
END;

CREATE TRIGGER customer_phones_pick_insert AFTER INSERT ON customer_phones
BEGIN
  UPDATE customers SET phone = (SELECT entered FROM customer_phones
                                WHERE customer_id = NEW.customer_id ORDER BY phone LIMIT 1)
  WHERE id = NEW.customer_id;
END;

CREATE TRIGGER customer_phones_pick_delete AFTER DELETE ON customer_phones
BEGIN
  UPDATE customers SET phone = (SELECT entered FROM customer_phones
                                WHERE customer_id = OLD.customer_id ORDER BY phone LIMIT 1)
  WHERE id = OLD.customer_id;
END;

CREATE TRIGGER customer_phones_pick_move AFTER UPDATE OF customer_id, phone, entered
  ON customer_phones
BEGIN
  UPDATE customer_phones SET (name, reading, member_no) =
    (SELECT name, reading, member_no FROM customers WHERE id = NEW.customer_id)
  WHERE customer_id = NEW.customer_id AND phone = NEW.phone;
  UPDATE customers SET phone = (SELECT entered FROM customer_phones
                                WHERE customer_id = customers.id ORDER BY phone LIMIT 1)
  WHERE id IN (OLD.customer_id, NEW.customer_id);
END;

CREATE TRIGGER customers_pick_names AFTER UPDATE OF name, reading, member_no ON customers
BEGIN
  UPDATE customer_phones SET name = NEW.name, reading = NEW.reading, member_no = NEW.member_no
  WHERE customer_id = NEW.id;
END;
