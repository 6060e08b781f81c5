-- Statistics exchanged between nodes (issue 13). The figures this node
-- publishes to peers (its public indicators, disclosure-controlled), one
-- row per indicator, period and place, whose xseq moves only when the
-- figure changes. And the figures received, the newest per origin peer,
-- indicator, period and place.
CREATE TABLE statistics_published (
    indicator TEXT NOT NULL,
    period TEXT NOT NULL,
    location TEXT NOT NULL,
    catalogue_version INTEGER NOT NULL,
    unit TEXT NOT NULL,
    value TEXT,
    suppressed INTEGER NOT NULL,
    published_at INTEGER NOT NULL,
    xseq INTEGER NOT NULL,
    PRIMARY KEY (indicator, period, location)
);
CREATE INDEX statistics_published_xseq ON statistics_published(xseq);
CREATE TABLE statistics_received (
    peer_id TEXT NOT NULL REFERENCES peers(id),
    indicator TEXT NOT NULL,
    period TEXT NOT NULL,
    location TEXT NOT NULL,
    catalogue_version INTEGER NOT NULL,
    unit TEXT NOT NULL,
    value TEXT,
    suppressed INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    origin_bundle TEXT NOT NULL,
    PRIMARY KEY (peer_id, indicator, period, location)
)
