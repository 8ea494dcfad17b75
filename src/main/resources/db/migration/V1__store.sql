-- Gatehouse store, version 1. Portable SQL: the same script runs on H2 (embedded) and PostgreSQL.
-- Times are epoch milliseconds (BIGINT): one representation on both, and stable input for hashes.

-- Every save of an app is an immutable version; a delete is a version too (deleted, no document).
CREATE TABLE app_versions (
    app_id       VARCHAR(64)    NOT NULL,
    version      BIGINT         NOT NULL,
    document     VARCHAR(1000000),
    deleted      BOOLEAN        NOT NULL,
    author_sub   VARCHAR(255)   NOT NULL,
    author_idp   VARCHAR(64)    NOT NULL,
    created_ms   BIGINT         NOT NULL,
    comment      VARCHAR(2000),
    content_hash VARCHAR(64)    NOT NULL,
    PRIMARY KEY (app_id, version)
);

-- The latest version of each app: writes compare it with the caller's If-Match in the same
-- transaction. route_key ("host prefix", lower case) is null while deleted, so two live apps can
-- never claim the same route.
CREATE TABLE app_current (
    app_id    VARCHAR(64)  NOT NULL PRIMARY KEY,
    version   BIGINT       NOT NULL,
    deleted   BOOLEAN      NOT NULL,
    route_key VARCHAR(600),
    CONSTRAINT app_current_route UNIQUE (route_key)
);

-- The audit log, hash-chained: hash = SHA-256(prev_hash || canonical entry).
CREATE TABLE audit_log (
    seq            BIGINT        NOT NULL PRIMARY KEY,
    at_ms          BIGINT        NOT NULL,
    actor_sub      VARCHAR(255),
    actor_idp      VARCHAR(64),
    action         VARCHAR(32)   NOT NULL,
    app_id         VARCHAR(255),
    client_address VARCHAR(64),
    request_id     VARCHAR(64),
    outcome        VARCHAR(32)   NOT NULL,
    detail         VARCHAR(20000),
    prev_hash      VARCHAR(64)   NOT NULL,
    hash           VARCHAR(64)   NOT NULL
);
CREATE INDEX audit_log_app ON audit_log (app_id, seq);
CREATE INDEX audit_log_actor ON audit_log (actor_sub, seq);
CREATE INDEX audit_log_at ON audit_log (at_ms);

-- One row: the last entry of the chain. Every write locks it first (SELECT ... FOR UPDATE), which
-- serialises writers across replicas and lets verification notice a removed last entry.
CREATE TABLE audit_head (
    id   INTEGER     NOT NULL PRIMARY KEY,
    seq  BIGINT      NOT NULL,
    hash VARCHAR(64) NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
