-- Full-text search of messages (chat:search): a GIN index over the words of messages.text in the
-- 'simple' configuration (lower case, no stemming, no stop words), matched by word prefix; it
-- follows every append, edit and delete with the row. Search pages go newest first, by
-- (created_at, id).
CREATE INDEX messages_search ON messages USING GIN (to_tsvector('simple', text));
CREATE INDEX messages_newest ON messages (created_at DESC, id DESC);
