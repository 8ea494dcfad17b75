-- Gatehouse store, version 2: cluster-wide keys. Portable SQL (H2 and PostgreSQL).

-- Keys every replica must share (the upstream assertion signing keys): the first replica to start
-- creates one, the others read it; a rotation adds a newer row, older rows stay (still published).
-- The key material is sealed (AES-256-GCM with gatehouse.store.key, the key id and purpose as
-- associated data), so a database dump or backup alone does not give the private keys away.
CREATE TABLE cluster_keys (
    purpose    VARCHAR(32)   NOT NULL,
    kid        VARCHAR(64)   NOT NULL,
    created_ms BIGINT        NOT NULL,
    sealed     VARCHAR(8000) NOT NULL,
    PRIMARY KEY (purpose, kid)
);

-- One row, locked (SELECT ... FOR UPDATE) by whoever creates a key, so that two replicas starting
-- at once on an empty store create one key between them, not two.
CREATE TABLE cluster_keys_lock (
    id INTEGER NOT NULL PRIMARY KEY
);
INSERT INTO cluster_keys_lock (id) VALUES (1);
