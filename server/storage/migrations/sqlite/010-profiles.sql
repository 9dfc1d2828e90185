-- Profiles: a display name (and its lower-case form, which the people directory searches), a
-- status that may clear itself at a time, and a time zone. Empty strings mean "not set".
ALTER TABLE users ADD COLUMN display_name TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN display_name_key TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN status_text TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN status_expires_at INTEGER;
ALTER TABLE users ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';
