-- On a field laptop, the referrals addressed to its user's agency, as the
-- checkout brings them: what the agency needs to act (sealed with the
-- folder's key), and in the clear only what orders and filters the list.
-- The case they belong to stays with the referring agency. A server's
-- store keeps none.
CREATE TABLE field_incoming_referrals (
    id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    respond_by BIGINT NOT NULL,
    to_agency TEXT NOT NULL,
    location_path TEXT COLLATE "C" NOT NULL,
    brief_enc BYTEA NOT NULL
)
