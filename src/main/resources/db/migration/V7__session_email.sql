-- Browser sessions found by email (GET /api/v1/sessions?email=): a digest of the lower-cased email
-- the session's identity carries, never the address itself (as subject_hash for sub). Sessions made
-- before this migration have none and are found by user only. Portable SQL (H2 and PostgreSQL).
ALTER TABLE sessions ADD COLUMN email_hash VARCHAR(64);
CREATE INDEX sessions_email ON sessions (email_hash);
