-- Reactions, and a change number per room (rev): every edit, deletion or reaction takes the
-- room's next rev and stamps the message with it, so that a client catches up on changes to
-- messages it already holds (chat:join {since, changesSince}) as it does on new ones by seq.
ALTER TABLE rooms ADD COLUMN last_rev BIGINT NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN rev BIGINT NOT NULL DEFAULT 0;
CREATE INDEX messages_room_rev ON messages(room_id, rev) WHERE rev > 0;

-- One row per user and emoji on a message.
CREATE TABLE message_reactions (
  -- the order of reacting (SQLite's rowid)
  n BIGINT GENERATED ALWAYS AS IDENTITY,
  message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  emoji TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (message_id, emoji, user_id)
);
