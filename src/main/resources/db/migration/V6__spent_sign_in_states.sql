-- Gatehouse store, version 6: sign-in callbacks already used. Portable SQL (H2 and PostgreSQL);
-- times are epoch milliseconds.

-- The SHA-256 (hex) of the state parameter of every sign-in whose callback came, until the sign-in
-- would be refused as too old anyway: a callback replayed to another replica is refused too (the
-- IdP's single-use code is then not the only guard). The primary key makes "first use" atomic.
CREATE TABLE spent_sign_in_states (
    state_hash VARCHAR(64)  NOT NULL PRIMARY KEY,
    expires_ms BIGINT       NOT NULL
);
CREATE INDEX spent_sign_in_states_expires ON spent_sign_in_states (expires_ms);
