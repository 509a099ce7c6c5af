-- not PostgreSQL: the linter must report it, not crash
FROBNICATE TABLE users WITH VIGOR;
SELECT 1;
