-- Where a notification comes from (so bursts group), and "done" (archived: out of every list).
ALTER TABLE notifications ADD COLUMN room_id TEXT;
ALTER TABLE notifications ADD COLUMN room_name TEXT;
ALTER TABLE notifications ADD COLUMN actor TEXT;
ALTER TABLE notifications ADD COLUMN done_at BIGINT;
CREATE INDEX notifications_user_kind ON notifications(user_id, kind, seq);

-- What a room notifies a user: level NULL is the room's default; muted_until 8.64e15 is forever.
CREATE TABLE notification_room_prefs (
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  room_id TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  level TEXT,
  muted_until BIGINT,
  PRIMARY KEY (user_id, room_id)
);
CREATE INDEX notification_room_prefs_room ON notification_room_prefs(room_id);

-- Do not disturb and desktop kinds, one row per user who changed them (JSON text for the lists).
CREATE TABLE notification_settings (
  user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  dnd_until BIGINT,
  schedule TEXT,
  desktop_kinds TEXT
);
