-- 008-sync.sql: reserved; filled in by the work on this area.
SELECT 1;
