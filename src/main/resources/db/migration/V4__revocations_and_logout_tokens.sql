-- Gatehouse store, version 4: revocations and the ids of back-channel logout tokens already used.
-- Portable SQL (H2 and PostgreSQL); times are epoch milliseconds.

-- Who is locked out until when (admin API /api/v1/revocations). kind: user | session | device;
-- target: the sub, session id or device id; idp: for a user, the IdP of that sub (null: any IdP).
CREATE TABLE revocations (
    id             VARCHAR(64)   NOT NULL PRIMARY KEY,
    kind           VARCHAR(16)   NOT NULL,
    target         VARCHAR(255)  NOT NULL,
    idp            VARCHAR(64),
    expires_ms     BIGINT        NOT NULL,
    reason         VARCHAR(1000),
    created_ms     BIGINT        NOT NULL,
    created_by_sub VARCHAR(255),
    created_by_idp VARCHAR(64)
);
CREATE INDEX revocations_expires ON revocations (expires_ms);

-- The jti of every back-channel logout token accepted, until the token could no longer be accepted
-- anyway: a replayed token is refused by every replica. The primary key makes the check atomic.
CREATE TABLE logout_token_ids (
    idp        VARCHAR(64)  NOT NULL,
    jti        VARCHAR(255) NOT NULL,
    expires_ms BIGINT       NOT NULL,
    PRIMARY KEY (idp, jti)
);
CREATE INDEX logout_token_ids_expires ON logout_token_ids (expires_ms);
