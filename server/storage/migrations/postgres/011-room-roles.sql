-- The PostgreSQL twin of sqlite/011-room-roles.sql: a room's creator is its owner, everyone else a
-- member; direct rooms have members only; the seeded rooms have no owner.
ALTER TABLE room_members ADD COLUMN role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'admin', 'member'));
UPDATE room_members rm SET role = 'owner' FROM rooms r
  WHERE r.id = rm.room_id AND r.created_by = rm.user_id AND r.visibility <> 'direct';
