-- Browser sessions (dev.gatehouse.session). Portable SQL: runs on H2 and PostgreSQL. Times are
-- epoch milliseconds.

-- The keys that encrypt session state at rest (AES-256-GCM). The newest encrypts; every key still
-- listed decrypts, so a rotation never ends a session. Material is base64.
CREATE TABLE session_keys (
    key_id     VARCHAR(32)  NOT NULL PRIMARY KEY,
    material   VARCHAR(64)  NOT NULL,
    created_ms BIGINT       NOT NULL
);

-- One row per browser session. id is the SHA-256 (hex) of the cookie's handle, so the table never
-- holds a usable cookie. Who the session belongs to is kept only as digests (for back-channel
-- logout by sid or sub); identity, device facts and IdP tokens are in state, encrypted with key_id.
CREATE TABLE sessions (
    id           VARCHAR(64)    NOT NULL PRIMARY KEY,
    idp_id       VARCHAR(64)    NOT NULL,
    subject_hash VARCHAR(64)    NOT NULL,
    sid_hash     VARCHAR(64),
    created_ms   BIGINT         NOT NULL,
    expires_ms   BIGINT         NOT NULL,
    last_seen_ms BIGINT         NOT NULL,
    key_id       VARCHAR(32)    NOT NULL,
    state        VARCHAR(100000) NOT NULL
);
CREATE INDEX sessions_subject ON sessions (subject_hash);
CREATE INDEX sessions_sid ON sessions (sid_hash);
CREATE INDEX sessions_expires ON sessions (expires_ms);
