-- Threads: a reply is a message of the room (it takes the room's next seq, so chat:join {since}
-- catches up on replies as on any message) that names its thread's root. The root counts its
-- replies and keeps the time of the last one; each reply stamps the root with the room's next rev,
-- so clients catch up on the count as on edits. A reply is in the room's timeline only with
-- also_in_room.
ALTER TABLE messages ADD COLUMN thread_root_id TEXT REFERENCES messages(id) ON DELETE CASCADE;
ALTER TABLE messages ADD COLUMN also_in_room INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN reply_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN last_reply_at INTEGER;
CREATE INDEX messages_thread ON messages(thread_root_id, seq) WHERE thread_root_id IS NOT NULL;

-- Who follows a thread (notified of its replies). following = 0 keeps a user who stopped
-- following from being made to follow again by replying or being mentioned.
CREATE TABLE thread_follows (
  root_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  following INTEGER NOT NULL,
  PRIMARY KEY (root_id, user_id)
);
