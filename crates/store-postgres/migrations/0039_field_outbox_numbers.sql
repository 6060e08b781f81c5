-- The last number given to a laptop's operation (issue 16). Numbers must
-- never be given twice: the server takes each number once, and answered
-- operations leave the outbox, so counting from the outbox alone gave an
-- emptied outbox's next change a number the server had already answered,
-- and the change was never sent. Raised to the server's acknowledgement
-- at every sync.
CREATE TABLE field_outbox_numbers (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_n BIGINT NOT NULL
);
INSERT INTO field_outbox_numbers (id, last_n) SELECT 1, COALESCE(MAX(n), 0) FROM field_outbox
