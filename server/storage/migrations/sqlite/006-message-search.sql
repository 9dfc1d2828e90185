-- Full-text search of messages (chat:search): an FTS5 index over messages.text, kept by triggers,
-- so every append, edit and delete updates it in the same transaction. unicode61 splits words on
-- what is not a letter or a digit and folds case; diacritics are kept, as PostgreSQL's 'simple'
-- configuration keeps them, so both stores find the same messages. Prefixes of 2 and 3 characters
-- are indexed too: a short prefix would otherwise merge the lists of hundreds of words.
CREATE VIRTUAL TABLE messages_fts USING fts5(
  text, content = 'messages', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3'
);
INSERT INTO messages_fts (rowid, text) SELECT rowid, text FROM messages WHERE deleted = 0;

CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
  INSERT INTO messages_fts (rowid, text) VALUES (new.rowid, new.text);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages BEGIN
  INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
  INSERT INTO messages_fts (rowid, text) VALUES (new.rowid, new.text);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
  INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
END;
