-- Gatehouse store, version 8: a shared key can be retired. Portable SQL (H2 and PostgreSQL).

-- A retired key is no longer published (upstreams stop trusting it); its sealed private half is
-- overwritten, so neither the store nor a backup made afterwards holds it. The row stays: the key
-- set's version (rows plus retired rows) only grows, so an admin's If-Match stays meaningful.
ALTER TABLE cluster_keys ADD COLUMN retired_ms BIGINT;
