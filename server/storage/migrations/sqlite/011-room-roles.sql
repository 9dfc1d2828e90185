-- Room roles (shared/chat.ts RoomRoles): a room's creator is its owner, everyone else a member
-- until the owner names them admin. Direct rooms have members only. Rooms made before this
-- migration: their creator (if still a member) becomes the owner; the seeded rooms have none.
ALTER TABLE room_members ADD COLUMN role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'admin', 'member'));
UPDATE room_members SET role = 'owner'
  WHERE EXISTS (SELECT 1 FROM rooms r WHERE r.id = room_members.room_id AND r.created_by = room_members.user_id AND r.visibility <> 'direct');
