-- Full-text search of messages (chat:search). Each message's words, in the 'simple' configuration
-- (lower case, no stemming, no stop words), kept in a generated column so that a search may also
-- walk the newest messages and test each cheaply; a GIN index over them for rare words. Words are
-- what is left between runs of anything not a letter or a digit, as SQLite's FTS5 'unicode61'
-- splits them (PostgreSQL's own parser keeps "example.com/path" as one word, and a word inside a
-- link would not be found). Search pages go newest first, by (created_at, id); `from:` walks the
-- author's newest.
ALTER TABLE messages ADD COLUMN search_words tsvector
  GENERATED ALWAYS AS (to_tsvector('simple', regexp_replace(text, '[^[:alnum:]]+', ' ', 'g'))) STORED;
CREATE INDEX messages_search ON messages USING GIN (search_words);
CREATE INDEX messages_newest ON messages (created_at DESC, id DESC);
CREATE INDEX messages_author_newest ON messages (author_id, created_at DESC, id DESC);
