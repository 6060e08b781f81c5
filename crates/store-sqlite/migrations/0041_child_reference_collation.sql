-- PostgreSQL's columns naming a child compare byte by byte from this
-- version, as SQLite columns always have (BINARY). Nothing to change here:
-- kept so that both backends number their migrations alike.
UPDATE schema_migrations SET applied_at = applied_at WHERE 0 = 1
