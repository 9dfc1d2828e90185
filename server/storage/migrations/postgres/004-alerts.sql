CREATE TABLE alerts (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  symbol TEXT NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('above', 'below')),
  -- a double, as SQLite's REAL (PostgreSQL's REAL is only 4 bytes)
  price DOUBLE PRECISION NOT NULL CHECK (price > 0),
  created_at BIGINT NOT NULL,
  -- NULL while pending; set once, by the one UPDATE that wins
  triggered_at BIGINT,
  -- insertion order, the tie-break of alerts made in the same millisecond (SQLite's rowid)
  seq BIGINT GENERATED ALWAYS AS IDENTITY
);
-- Pending alerts only: what users list and count, and what the server loads at start.
CREATE INDEX alerts_pending ON alerts(user_id, created_at) WHERE triggered_at IS NULL;
