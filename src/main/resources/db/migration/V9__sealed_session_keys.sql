-- Gatehouse store, version 9: session keys sealed. Portable SQL (H2 and PostgreSQL).

-- With PostgreSQL and gatehouse.store.key the material of a session key is sealed like the cluster
-- keys (v2:<sealing key id>:base64(iv || ciphertext+tag), 92 characters for a 32-byte key), so a
-- dump of the database alone cannot read or forge session cookies. Rows written before stay plain
-- base64 until a rotation or POST /api/v1/store-key/reseal seals them; the embedded store keeps
-- them plain (its data directory holds the assertion key file too).
ALTER TABLE session_keys ALTER COLUMN material SET DATA TYPE VARCHAR(256);
