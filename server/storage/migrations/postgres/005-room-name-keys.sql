-- What makes two room names the same (shared/chat.ts roomNameKey: NFKC, then lower case), so
-- that public room names are unique. Rooms made before this migration get lower(); every room
-- made since gets the full key from the application.
ALTER TABLE rooms ADD COLUMN name_key TEXT;
UPDATE rooms SET name_key = lower(name) WHERE visibility <> 'direct';
CREATE INDEX rooms_public_name_key ON rooms(name_key) WHERE visibility = 'public';
