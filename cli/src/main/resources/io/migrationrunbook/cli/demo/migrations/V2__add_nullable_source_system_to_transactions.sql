-- Additive: a nullable column, no default: a catalog-only change under a brief lock.
ALTER TABLE transactions ADD COLUMN source_system text;
