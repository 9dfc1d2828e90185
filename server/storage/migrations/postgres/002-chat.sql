CREATE TABLE rooms (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  topic TEXT NOT NULL DEFAULT '',
  visibility TEXT NOT NULL CHECK (visibility IN ('public', 'private', 'direct')),
  -- the two user ids of a direct room, sorted and joined, so each pair has one room
  direct_key TEXT UNIQUE,
  created_by TEXT REFERENCES users(id) ON DELETE SET NULL,
  created_at BIGINT NOT NULL,
  -- the seq of the room's newest message; appends bump it in the transaction that inserts
  last_seq BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE room_members (
  room_id TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  joined_at BIGINT NOT NULL,
  last_read_seq BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (room_id, user_id)
);
CREATE INDEX room_members_user ON room_members(user_id);

CREATE TABLE messages (
  id TEXT PRIMARY KEY,
  room_id TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  seq BIGINT NOT NULL,
  author_id TEXT NOT NULL REFERENCES users(id),
  text TEXT NOT NULL,
  client_id TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  edited_at BIGINT,
  deleted BOOLEAN NOT NULL DEFAULT FALSE,
  UNIQUE (room_id, seq),
  UNIQUE (author_id, client_id)
);

INSERT INTO rooms (id, name, topic, visibility, created_at) VALUES
  ('general', 'general', 'Everything and anything', 'public', 0),
  ('random', 'random', 'Off-topic, memes and water-cooler talk', 'public', 0),
  ('markets', 'markets', 'Talk about the simulated market', 'public', 0);
