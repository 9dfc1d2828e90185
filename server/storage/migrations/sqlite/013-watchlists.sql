-- Alert kinds: a crossing of `price` (every alert so far), or a move of `pct` percent within the
-- day or within `minutes`; `price` of a move is the price it was armed at. A fired alert keeps
-- the price that fired it, and may be armed again (triggered_at back to NULL).
ALTER TABLE alerts ADD COLUMN kind TEXT NOT NULL DEFAULT 'cross' CHECK (kind IN ('cross', 'day-move', 'window-move'));
ALTER TABLE alerts ADD COLUMN pct REAL;
ALTER TABLE alerts ADD COLUMN minutes INTEGER;
ALTER TABLE alerts ADD COLUMN fired_price REAL;
-- Fired alerts, newest first: what the alerts page lists.
CREATE INDEX alerts_fired ON alerts(user_id, triggered_at) WHERE triggered_at IS NOT NULL;

-- Watchlists saved to the account: named, ordered by `position`, symbols as a JSON array in the
-- user's order; `version` grows with every change of the list (stale writes are refused).
CREATE TABLE watchlists (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  position INTEGER NOT NULL,
  symbols TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX watchlists_user ON watchlists(user_id, position);
-- One change number per user for all of their lists: pushes older than what a client holds are stale.
-- Its row is also what every change of a user's lists locks first.
CREATE TABLE watchlist_revs (
  user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  rev INTEGER NOT NULL
);
