-- The optional second factor: each person's authenticator secret (sealed
-- like other identifying data), the last code step used (a code is never
-- accepted twice), single-use recovery codes (keyed hashes), the roles that
-- must use it, and sessions still waiting for it.
CREATE TABLE second_factors (
    user_id TEXT PRIMARY KEY REFERENCES users(id),
    secret_enc BYTEA NOT NULL,
    confirmed_at BIGINT,
    last_step BIGINT NOT NULL
);
CREATE TABLE recovery_codes (
    user_id TEXT NOT NULL REFERENCES users(id),
    code_hash TEXT NOT NULL,
    used_at BIGINT,
    PRIMARY KEY (user_id, code_hash)
);
CREATE TABLE second_factor_roles (
    role TEXT PRIMARY KEY
);
ALTER TABLE sessions ADD COLUMN second_factor_pending BIGINT NOT NULL DEFAULT 0
