-- 006-loyalty.sql: reserved; filled in by the work on this area.
SELECT 1;
