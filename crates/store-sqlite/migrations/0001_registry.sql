CREATE TABLE locations (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    parent TEXT REFERENCES locations(code),
    level TEXT NOT NULL,
    path TEXT NOT NULL UNIQUE
);
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    location TEXT REFERENCES locations(code),
    scope_path TEXT,
    agency TEXT,
    password_hash TEXT,
    created_at INTEGER NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE TABLE sessions (
    session_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE TABLE households (
    id TEXT PRIMARY KEY,
    location TEXT NOT NULL REFERENCES locations(code),
    location_path TEXT NOT NULL,
    agency TEXT,
    address_enc BLOB NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE caregivers (
    id TEXT PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households(id),
    given_name_enc BLOB NOT NULL,
    family_name_enc BLOB NOT NULL,
    relationship TEXT NOT NULL,
    contact_enc BLOB NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX caregivers_household ON caregivers(household_id);
CREATE TABLE children (
    id TEXT PRIMARY KEY,
    given_name_enc BLOB NOT NULL,
    family_name_enc BLOB NOT NULL,
    sex TEXT NOT NULL,
    date_of_birth TEXT NOT NULL,
    dob_estimated INTEGER NOT NULL,
    location TEXT NOT NULL REFERENCES locations(code),
    location_path TEXT NOT NULL,
    birth_registration TEXT NOT NULL,
    disability INTEGER NOT NULL,
    minority_group TEXT,
    living_situation TEXT NOT NULL,
    in_school INTEGER NOT NULL,
    child_labour INTEGER NOT NULL,
    household_id TEXT REFERENCES households(id),
    agency TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX children_scope ON children(location_path, created_at);
CREATE INDEX children_created ON children(created_at, id);
CREATE TABLE child_tokens (
    token BLOB NOT NULL,
    child_id TEXT NOT NULL REFERENCES children(id),
    PRIMARY KEY (token, child_id)
);
CREATE INDEX child_tokens_child ON child_tokens(child_id);
CREATE TABLE institutions (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    location TEXT NOT NULL REFERENCES locations(code),
    registered INTEGER NOT NULL,
    monitored INTEGER NOT NULL,
    last_inspection TEXT
);
CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    outcome TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
)
