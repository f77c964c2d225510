-- 014-pull.sql: a cheaper first pull, the same facts. The CHECKs of the
-- tables the changes feed writes rows into, spelt with OR instead of
-- IN (...): a list of more than two values builds a temporary b-tree
-- each time a row is written (010-commit.sql), and a new register's
-- first pull writes a million customer cards. Edited where SQLite keeps
-- the definitions, as 010 did and for the same reasons (the rows stored
-- satisfy both spellings; rebuilding the tables would copy them all); a
-- definition spelt differently is left as it was: slower, never looser.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace (sql, 'kind IN (''barcode'', ''qr'', ''rfid'')',
                      'kind = ''barcode'' OR kind = ''qr'' OR kind = ''rfid''')
 WHERE type = 'table' AND name = 'customer_cards';
UPDATE sqlite_schema
   SET sql = replace (sql, 'embed IN (''none'', ''price'', ''weight'')',
                      'embed = ''none'' OR embed = ''price'' OR embed = ''weight''')
 WHERE type = 'table' AND name = 'products';
UPDATE sqlite_schema
   SET sql = replace (sql, 'role IN (''cashier'', ''manager'', ''owner'')',
                      'role = ''cashier'' OR role = ''manager'' OR role = ''owner''')
 WHERE type = 'table' AND name = 'staff';
UPDATE sqlite_schema
   SET sql = replace (sql, 'kind IN (''earn'', ''redeem'', ''adjust'', ''expire'', ''reversal'')',
                      'kind = ''earn'' OR kind = ''redeem'' OR kind = ''adjust'''
                      || ' OR kind = ''expire'' OR kind = ''reversal''')
 WHERE type = 'table' AND name = 'points_ledger';
UPDATE sqlite_schema
   SET sql = replace (sql, 'kind IN (''gift'', ''prepaid'', ''customer_account'')',
                      'kind = ''gift'' OR kind = ''prepaid'' OR kind = ''customer_account''')
 WHERE type = 'table' AND name = 'value_accounts';
UPDATE sqlite_schema
   SET sql = replace (sql, 'kind IN (''issue'', ''topup'', ''redeem'', ''refund'', ''expire'','
                      || char (10) || '                              ''adjust'', ''charge'', ''payment'')',
                      'kind = ''issue'' OR kind = ''topup'' OR kind = ''redeem'' OR kind = ''refund'''
                      || ' OR kind = ''expire'' OR kind = ''adjust'' OR kind = ''charge'''
                      || ' OR kind = ''payment''')
 WHERE type = 'table' AND name = 'value_ledger';
UPDATE sqlite_schema
   SET sql = replace (sql, 'kind IN (''adjust'', ''expire'', ''payment'') OR sale_uuid',
                      'kind = ''adjust'' OR kind = ''expire'' OR kind = ''payment'' OR sale_uuid')
 WHERE type = 'table' AND name = 'value_ledger';
UPDATE sqlite_schema
   SET sql = replace (sql, 'kind IN (''issue'', ''use'', ''earn'', ''redeem'',' || char (10)
                      || '                                             ''reversal'', ''expire'', ''adjust'')',
                      'kind = ''issue'' OR kind = ''use'' OR kind = ''earn'' OR kind = ''redeem'''
                      || ' OR kind = ''reversal'' OR kind = ''expire'' OR kind = ''adjust''')
 WHERE type = 'table' AND name = 'punch_ledger';
PRAGMA writable_schema = RESET;

-- The DDL that moves the schema cookie on, so every other connection
-- reads the new definitions (010 had DDL of its own after its edits).
CREATE TABLE schema_014_cookie (x);
DROP TABLE schema_014_cookie;
