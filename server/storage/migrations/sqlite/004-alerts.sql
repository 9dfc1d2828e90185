CREATE TABLE alerts (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  symbol TEXT NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('above', 'below')),
  price REAL NOT NULL CHECK (price > 0),
  created_at INTEGER NOT NULL,
  -- NULL while pending; set once, by the one UPDATE that wins
  triggered_at INTEGER
);
-- Pending alerts only: what users list and count, and what the server loads at start.
CREATE INDEX alerts_pending ON alerts(user_id, created_at) WHERE triggered_at IS NULL;
