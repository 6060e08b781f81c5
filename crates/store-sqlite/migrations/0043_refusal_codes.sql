-- A refused operation's reason as a code, beside the server's words: a
-- laptop shows it in its user's language. On the server, with the answer
-- kept for an operation sent again; on a laptop, with the refused change.
ALTER TABLE field_operations ADD COLUMN code TEXT;
ALTER TABLE field_outbox ADD COLUMN refused_code TEXT
