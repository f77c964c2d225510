-- 012-lookup.sql: the till's last-four-digits pick list reads only this
-- index for the phones it shows. With the number as typed in the index
-- (the customer id and the normalised number are in every entry of a
-- WITHOUT ROWID table's index already), a match costs one range scan and
-- one customer row, not a further probe of customer_phones per match:
-- at 1,000,000 members that halves the random page reads of the list.
DROP INDEX customer_phones_last4;
CREATE INDEX customer_phones_last4 ON customer_phones (last4, customer_id, entered);
