-- Avatars: at most one picture per user, its bytes in the database like images (every node of a
-- cluster serves them). Replacing one is a new row with a new id (a new URL, so browsers may
-- cache each forever); the old row and its bytes are gone in the same transaction.
CREATE TABLE avatars (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
  mime TEXT NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  size INTEGER NOT NULL,
  bytes BLOB NOT NULL,
  created_at INTEGER NOT NULL
);
