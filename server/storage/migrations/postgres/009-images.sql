-- Images uploaded to a room: the bytes live in the database, so every node of a cluster serves
-- them. An image waits unsent (message_id NULL) until its uploader posts it in one message, or it
-- expires and is purged; a deleted message takes its image with it.
CREATE TABLE images (
  id TEXT PRIMARY KEY,
  room_id TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  uploader_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  mime TEXT NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  size INTEGER NOT NULL,
  bytes BYTEA NOT NULL,
  created_at BIGINT NOT NULL,
  message_id TEXT REFERENCES messages(id) ON DELETE CASCADE
);
-- One image per message, found from its message on every message read.
CREATE UNIQUE INDEX images_message ON images(message_id) WHERE message_id IS NOT NULL;
-- A user's unsent images (the pending limit), and the purge of expired ones.
CREATE INDEX images_pending ON images(uploader_id, created_at) WHERE message_id IS NULL;
CREATE INDEX images_expiry ON images(created_at) WHERE message_id IS NULL;
-- Image formats are compressed already: kept out of line without trying to compress them again.
ALTER TABLE images ALTER COLUMN bytes SET STORAGE EXTERNAL;
