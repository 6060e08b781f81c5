-- Indicators an administrator has marked public: the public figures page
-- shows them (suppressed, for the whole country) without sign-in.
CREATE TABLE public_indicators (
    indicator TEXT PRIMARY KEY,
    marked_by TEXT NOT NULL,
    marked_at BIGINT NOT NULL
)
