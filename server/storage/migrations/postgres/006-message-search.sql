-- Full-text search of messages (chat:search): a GIN index over the words of messages.text in the
-- 'simple' configuration (lower case, no stemming, no stop words), matched by word prefix; it
-- follows every append, edit and delete with the row. Words are what is left between runs of
-- anything not a letter or a digit, as SQLite's FTS5 'unicode61' splits them (PostgreSQL's own
-- parser keeps "example.com/path" as one word, so a word inside a link would not be found).
-- server/storage/postgres/chat.ts queries this very expression. Search pages go newest first,
-- by (created_at, id).
CREATE INDEX messages_search ON messages USING GIN (to_tsvector('simple', regexp_replace(text, '[^[:alnum:]]+', ' ', 'g')));
CREATE INDEX messages_newest ON messages (created_at DESC, id DESC);
