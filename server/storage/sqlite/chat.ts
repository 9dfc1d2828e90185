import type { DatabaseSync, StatementSync } from 'node:sqlite'
import type { RoomRole } from '../../../shared/chat.ts'
import { isPrefixTerm } from '../../../shared/search.ts'
import { newId } from '../ids.ts'
import { checkAttachable, IMAGE_COLUMNS, StoreErrors, toMessage, toRoom, toRoomInfo, toRoomMember, toSearchHit, toUserRoom, reactableIds, withReactions, type Row } from '../rows.ts'
import { settleAppends, type AppendOutcome } from '../group-commit.ts'
import type { AppendInput, AppendResult, ChatStore, MessageSearch, PendingAppend } from '../types.ts'
import { transaction } from './open-sqlite.ts'

const MESSAGE = `SELECT m.*, u.username, ${IMAGE_COLUMNS} FROM messages m JOIN users u ON u.id = m.author_id LEFT JOIN images i ON i.message_id = m.id`
// Each emoji in the order of its earliest standing reaction, its users in the order they reacted (rowid).
const REACTIONS = `SELECT message_id, emoji, user_id, username FROM (
    SELECT r.message_id, r.emoji, r.user_id, u.username, r.rowid AS n, MIN(r.rowid) OVER (PARTITION BY r.message_id, r.emoji) AS first
    FROM message_reactions r JOIN users u ON u.id = r.user_id WHERE r.message_id IN (SELECT value FROM json_each(?)))
  ORDER BY message_id, first, n`
const MEMBER_COUNT = '(SELECT COUNT(*) FROM room_members c WHERE c.room_id = r.id) AS member_count'
/** In the room's timeline: not a thread reply, or one also sent to the room. */
const IN_TIMELINE = '(m.thread_root_id IS NULL OR m.also_in_room = 1)'
// Unread: others' live messages of the timeline after the user's marker (seq is indexed per room).
const UNREAD = `(SELECT COUNT(*) FROM messages m WHERE m.room_id = r.id AND m.seq > rm.last_read_seq
  AND m.author_id <> rm.user_id AND m.deleted = 0 AND ${IN_TIMELINE}) AS unread`

/**
 * A search's statement. With words, the FTS5 index drives it in rowid order, newest first (rowids
 * grow with appends), and it stops at the page's end: a common word costs no more than a rare one.
 * The page's cursor is the last hit's rowid.
 */
const searchSql = ({ terms, roomKey, authorKey, hasLink, before, after, cursor }: MessageSearch) => {
  const order = terms.length > 0 ? 'f.rowid' : 'm.rowid'
  return `SELECT m.*, ${order} AS search_rowid, u.username, ${IMAGE_COLUMNS}, r.name AS room_name, r.visibility AS room_visibility
    FROM ${terms.length > 0 ? 'messages_fts f JOIN messages m ON m.rowid = f.rowid' : 'messages m'}
    JOIN rooms r ON r.id = m.room_id
    JOIN users u ON u.id = m.author_id
    LEFT JOIN images i ON i.message_id = m.id
    LEFT JOIN room_members rm ON rm.room_id = m.room_id AND rm.user_id = :user
    WHERE m.deleted = 0 AND (r.visibility = 'public' OR rm.user_id IS NOT NULL)
    ${terms.length > 0 ? 'AND messages_fts MATCH :match' : ''}
    ${roomKey !== undefined ? 'AND r.name_key = :room' : ''}
    ${authorKey !== undefined ? 'AND m.author_id = (SELECT id FROM users WHERE username_key = :author)' : ''}
    ${hasLink ? "AND (m.text LIKE '%http://%' OR m.text LIKE '%https://%')" : ''}
    ${before !== undefined ? 'AND m.created_at < :before' : ''}
    ${after !== undefined ? 'AND m.created_at >= :after' : ''}
    ${cursor !== undefined ? `AND ${order} < :cursor` : ''}
    ORDER BY ${order} DESC LIMIT :limit`
}

/** Each word as an FTS5 prefix query (or the word alone, see isPrefixTerm), all of them required. */
const ftsMatch = (terms: readonly string[]) => terms.map((term) => `"${term.replaceAll('"', '""')}"${isPrefixTerm(term) ? '*' : ''}`).join(' ')

export function createSqliteChatStore (db: DatabaseSync): ChatStore {
  const q = {
    listRooms: db.prepare(`SELECT r.*, rm.user_id AS member, rm.last_read_seq, ${MEMBER_COUNT}, ${UNREAD} FROM rooms r
      LEFT JOIN room_members rm ON rm.room_id = r.id AND rm.user_id = ?
      WHERE r.visibility = 'public' OR rm.user_id IS NOT NULL ORDER BY r.visibility = 'direct', r.name`),
    getRoom: db.prepare(`SELECT r.*, rm.user_id AS member, rm.last_read_seq, ${MEMBER_COUNT}, ${UNREAD} FROM rooms r
      LEFT JOIN room_members rm ON rm.room_id = r.id AND rm.user_id = ? WHERE r.id = ?`),
    roomAccess: db.prepare(`SELECT r.id, r.name, r.topic, r.visibility, r.last_seq, r.last_rev, rm.user_id AS member FROM rooms r
      LEFT JOIN room_members rm ON rm.room_id = r.id AND rm.user_id = ? WHERE r.id = ?`),
    roomById: db.prepare(`SELECT r.*, ${MEMBER_COUNT} FROM rooms r WHERE r.id = ?`),
    insertRoom: db.prepare('INSERT INTO rooms (id, name, name_key, topic, visibility, direct_key, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    publicNameTaken: db.prepare("SELECT 1 AS taken FROM rooms WHERE name_key = ? AND visibility = 'public'"),
    directByKey: db.prepare(`SELECT r.*, ${MEMBER_COUNT} FROM rooms r WHERE r.direct_key = ?`),
    // A new member starts with what was said before them read, not as a wall of unread.
    addMember: db.prepare(`INSERT INTO room_members (room_id, user_id, joined_at, last_read_seq)
      SELECT id, ?, ?, last_seq FROM rooms WHERE id = ? ON CONFLICT DO NOTHING`),
    members: db.prepare('SELECT u.id, u.username, rm.role FROM room_members rm JOIN users u ON u.id = rm.user_id WHERE rm.room_id = ? ORDER BY u.username_key'),
    memberRole: db.prepare('SELECT role FROM room_members WHERE room_id = ? AND user_id = ?'),
    setRole: db.prepare('UPDATE room_members SET role = ? WHERE room_id = ? AND user_id = ?'),
    removeMember: db.prepare('DELETE FROM room_members WHERE room_id = ? AND user_id = ? RETURNING role'),
    // The next owner: the longest-standing admin, or else the longest-standing member.
    successor: db.prepare(`SELECT u.id, u.username, rm.role FROM room_members rm JOIN users u ON u.id = rm.user_id WHERE rm.room_id = ?
      ORDER BY rm.role = 'admin' DESC, rm.joined_at, rm.user_id LIMIT 1`),
    roomInfo: db.prepare('SELECT * FROM rooms WHERE id = ?'),
    publicNameTakenByOther: db.prepare("SELECT 1 AS taken FROM rooms WHERE name_key = ? AND visibility = 'public' AND id <> ?"),
    rename: db.prepare('UPDATE rooms SET name = ?, name_key = ? WHERE id = ?'),
    setTopic: db.prepare('UPDATE rooms SET topic = ? WHERE id = ?'),
    byClientId: db.prepare(`${MESSAGE} WHERE m.author_id = ? AND m.client_id = ?`),
    nextSeq: db.prepare('UPDATE rooms SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq'),
    insertMessage: db.prepare(`INSERT INTO messages (id, room_id, seq, author_id, text, client_id, created_at, thread_root_id, also_in_room)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    threadRoot: db.prepare('SELECT room_id, thread_root_id, deleted FROM messages WHERE id = ?'),
    countReply: db.prepare('UPDATE messages SET reply_count = reply_count + 1, last_reply_at = ? WHERE id = ?'),
    replies: db.prepare(`${MESSAGE} WHERE m.thread_root_id = ? AND m.seq < ? ORDER BY m.seq DESC LIMIT ?`),
    follow: db.prepare(`INSERT INTO thread_follows (root_id, user_id, following) VALUES (?, ?, ?)
      ON CONFLICT (root_id, user_id) DO UPDATE SET following = excluded.following`),
    autoFollow: db.prepare('INSERT INTO thread_follows (root_id, user_id, following) VALUES (?, ?, 1) ON CONFLICT DO NOTHING'),
    followers: db.prepare('SELECT user_id FROM thread_follows WHERE root_id = ? AND following = 1 ORDER BY user_id'),
    message: db.prepare(`${MESSAGE} WHERE m.id = ?`),
    edit: db.prepare('UPDATE messages SET text = ?, edited_at = ? WHERE id = ? AND deleted = 0'),
    remove: db.prepare("UPDATE messages SET text = '', deleted = 1, edited_at = ? WHERE id = ?"),
    changed: db.prepare(`${MESSAGE} WHERE m.room_id = ? AND m.seq <= ? AND m.rev > ? AND m.rev <= ? ORDER BY m.rev LIMIT ?`),
    reactions: db.prepare(REACTIONS),
    // Every change to a message takes its room's next rev.
    nextRev: db.prepare('UPDATE rooms SET last_rev = last_rev + 1 WHERE id = (SELECT room_id FROM messages WHERE id = ?) RETURNING last_rev'),
    stamp: db.prepare('UPDATE messages SET rev = ? WHERE id = ?'),
    messageState: db.prepare('SELECT deleted FROM messages WHERE id = ?'),
    hasReaction: db.prepare('SELECT 1 AS has FROM message_reactions WHERE message_id = ? AND emoji = ? AND user_id = ?'),
    emojiUsed: db.prepare('SELECT 1 AS used FROM message_reactions WHERE message_id = ? AND emoji = ? LIMIT 1'),
    distinctEmoji: db.prepare('SELECT COUNT(DISTINCT emoji) AS n FROM message_reactions WHERE message_id = ?'),
    addReaction: db.prepare('INSERT INTO message_reactions (message_id, emoji, user_id, created_at) VALUES (?, ?, ?, ?)'),
    removeReaction: db.prepare('DELETE FROM message_reactions WHERE message_id = ? AND emoji = ? AND user_id = ?'),
    clearReactions: db.prepare('DELETE FROM message_reactions WHERE message_id = ?'),
    imageToAttach: db.prepare('SELECT uploader_id, room_id, created_at, message_id FROM images WHERE id = ?'),
    attachImage: db.prepare('UPDATE images SET message_id = ? WHERE id = ?'),
    deleteImage: db.prepare('DELETE FROM images WHERE message_id = ?'),
    after: db.prepare(`${MESSAGE} WHERE m.room_id = ? AND m.seq > ? ORDER BY m.seq LIMIT ?`),
    before: db.prepare(`${MESSAGE} WHERE m.room_id = ? AND m.seq < ? AND ${IN_TIMELINE} ORDER BY m.seq DESC LIMIT ?`),
    markRead: db.prepare(`UPDATE room_members SET last_read_seq = MAX(last_read_seq, MIN(?, (SELECT last_seq FROM rooms WHERE id = ?)))
      WHERE room_id = ? AND user_id = ? RETURNING last_read_seq`),
    markUnread: db.prepare(`UPDATE room_members SET last_read_seq = MAX(0, MIN(? - 1, (SELECT last_seq FROM rooms WHERE id = ?)))
      WHERE room_id = ? AND user_id = ? RETURNING last_read_seq`),
    authorRead: db.prepare('UPDATE room_members SET last_read_seq = MAX(last_read_seq, ?) WHERE room_id = ? AND user_id = ?'),
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
    savepoint: db.prepare('SAVEPOINT append'),
    release: db.prepare('RELEASE append'),
    rollbackTo: db.prepare('ROLLBACK TO append'),
    unread: db.prepare(`SELECT COUNT(*) AS unread FROM messages m WHERE m.room_id = ? AND m.seq > ? AND m.author_id <> ? AND m.deleted = 0 AND ${IN_TIMELINE}`)
  }

  const messages = (rows: Row[]) => {
    const list = rows.map(toMessage)
    const ids = reactableIds(list)
    return ids.length === 0 ? list : withReactions(list, q.reactions.all(JSON.stringify(ids)))
  }

  /** A read marker moved (by `statement`, which returns the new one) and the unread count after it. */
  const moveMarker = (statement: typeof q.markRead, seq: number, roomId: string, userId: string) => {
    const row = statement.get(seq, roomId, roomId, userId)
    const lastReadSeq = (row?.last_read_seq as number | undefined) ?? 0
    const unread = q.unread.get(roomId, lastReadSeq, userId)!.unread as number
    return { lastReadSeq, unread }
  }

  /** Search statements by shape (which filters it has): at most 2^7 of them. */
  const searches = new Map<string, StatementSync>()

  const message = (id: string) => {
    const row = q.message.get(id)
    return row ? messages([row])[0]! : null
  }
  /** A change to a message: the room's next rev on it. */
  const stamp = (messageId: string) => {
    q.stamp.run(q.nextRev.get(messageId)!.last_rev as number, messageId)
  }

  /** One append, inside the batch's transaction. */
  const append = ({ roomId, authorId, text, clientId, now, threadRootId, alsoInRoom, image }: AppendInput): AppendResult => {
    const existing = q.byClientId.get(authorId, clientId)
    if (existing) return { message: messages([existing])[0]!, created: false }
    if (threadRootId !== undefined) {
      const root = q.threadRoot.get(threadRootId)
      if (!root || root.room_id !== roomId || root.thread_root_id !== null) throw StoreErrors.notAThreadRoot()
      if (root.deleted === 1) throw StoreErrors.messageDeleted()
    }
    const seq = q.nextSeq.get(roomId)?.last_seq as number | undefined
    if (seq === undefined) throw StoreErrors.noSuchRoom()
    if (image) checkAttachable(q.imageToAttach.get(image.id), { roomId, authorId }, image.uploadedAfter)
    const id = newId()
    q.insertMessage.run(id, roomId, seq, authorId, text, clientId, now, threadRootId ?? null, alsoInRoom === true && threadRootId !== undefined ? 1 : 0)
    if (image) q.attachImage.run(id, image.id)
    q.authorRead.run(seq, roomId, authorId)
    if (threadRootId !== undefined) {
      q.countReply.run(now, threadRootId)
      stamp(threadRootId)
    }
    return { message: message(id)!, created: true }
  }

  /**
   * Group commit: appends that arrive in the same turn of the event loop share one transaction
   * (a commit costs far more than an insert). Each append runs in its own savepoint, so one that
   * fails (an unknown room) takes back only itself, seq included: seqs stay gapless. Every
   * promise settles after the COMMIT, so an ack still means committed.
   */
  let pending: PendingAppend[] = []
  const flush = () => {
    const batch = pending
    pending = []
    const outcomes: AppendOutcome[] = []
    try {
      q.begin.run()
      try {
        for (const { input } of batch) {
          q.savepoint.run()
          try {
            outcomes.push({ ok: true, result: append(input) })
            q.release.run()
          } catch (error) {
            q.rollbackTo.run()
            q.release.run()
            outcomes.push({ ok: false, error })
          }
        }
        q.commit.run()
      } catch (error) {
        if (db.isTransaction) q.rollback.run()
        throw error
      }
    } catch (error) {
      for (const { reject } of batch) reject(error)
      return
    }
    settleAppends(batch, outcomes)
  }

  return {
    async listRooms (userId) {
      return q.listRooms.all(userId).map(toUserRoom)
    },
    async getRoom (roomId, userId) {
      const row = q.getRoom.get(userId, roomId)
      return row ? toUserRoom(row) : null
    },
    async getRoomAccess (roomId, userId) {
      const row = q.roomAccess.get(userId, roomId)
      return row ? { ...toRoomInfo(row), member: row.member !== null } : null
    },
    async createRoom ({ name, nameKey, topic, visibility, createdBy, memberIds, now }) {
      const id = newId()
      const created = transaction(db, () => {
        if (q.publicNameTaken.get(nameKey)) return false
        q.insertRoom.run(id, name, nameKey, topic, visibility, null, createdBy, now)
        for (const userId of memberIds) q.addMember.run(userId, now, id)
        q.setRole.run('owner', id, createdBy)
        return true
      })
      return created ? toRoom(q.roomById.get(id)!) : null
    },
    async findOrCreateDirect ({ userIds, name, now }) {
      const key = [...userIds].sort().join(':')
      return transaction(db, () => {
        const existing = q.directByKey.get(key)
        if (existing) return { room: toRoom(existing), created: false }
        const id = newId()
        q.insertRoom.run(id, name, null, '', 'direct', key, userIds[0], now)
        for (const userId of userIds) q.addMember.run(userId, now, id)
        return { room: toRoom(q.roomById.get(id)!), created: true }
      })
    },
    async addMember (roomId, userId, now) {
      return Number(q.addMember.run(userId, now, roomId).changes) > 0
    },
    async members (roomId) {
      return q.members.all(roomId).map(toRoomMember)
    },
    async memberRole (roomId, userId) {
      return (q.memberRole.get(roomId, userId)?.role as RoomRole | undefined) ?? null
    },
    async updateRoom ({ roomId, name, nameKey, topic }) {
      return transaction(db, () => {
        if (!q.roomInfo.get(roomId)) throw StoreErrors.noSuchRoom()
        if (name !== undefined && nameKey !== undefined) {
          if (q.publicNameTakenByOther.get(nameKey, roomId)) return null
          q.rename.run(name, nameKey, roomId)
        }
        if (topic !== undefined) q.setTopic.run(topic, roomId)
        return toRoomInfo(q.roomInfo.get(roomId)!)
      })
    },
    async setMemberRole (roomId, userId, role) {
      return Number(q.setRole.run(role, roomId, userId).changes) > 0
    },
    async removeMember (roomId, userId) {
      return transaction(db, () => {
        const gone = q.removeMember.get(roomId, userId)
        if (!gone) return { removed: false, newOwner: null }
        if (gone.role !== 'owner') return { removed: true, newOwner: null }
        const next = q.successor.get(roomId)
        if (!next) return { removed: true, newOwner: null }
        q.setRole.run('owner', roomId, next.id as string)
        return { removed: true, newOwner: { ...toRoomMember(next), role: 'owner' as const } }
      })
    },
    appendMessage (input) {
      return new Promise((resolve, reject) => {
        pending.push({ input, resolve, reject })
        if (pending.length === 1) setImmediate(flush)
      })
    },
    async getMessage (messageId) {
      return message(messageId)
    },
    async editMessage (messageId, text, now) {
      transaction(db, () => {
        if (Number(q.edit.run(text, now, messageId).changes) === 0) throw StoreErrors.messageDeleted()
        stamp(messageId)
      })
      return message(messageId)!
    },
    async deleteMessage (messageId, now) {
      transaction(db, () => {
        q.remove.run(now, messageId)
        q.clearReactions.run(messageId)
        q.deleteImage.run(messageId)
        stamp(messageId)
      })
      return message(messageId)!
    },
    async react ({ messageId, userId, emoji, on, now, maxDistinct }) {
      const changed = transaction(db, () => {
        const state = q.messageState.get(messageId)
        if (!state) throw StoreErrors.noSuchMessage()
        if (state.deleted === 1) throw StoreErrors.messageDeleted()
        const has = q.hasReaction.get(messageId, emoji, userId) !== undefined
        if ((on ?? !has) === has) return false
        if (has) {
          q.removeReaction.run(messageId, emoji, userId)
        } else {
          if (!q.emojiUsed.get(messageId, emoji) && (q.distinctEmoji.get(messageId)!.n as number) >= maxDistinct) throw StoreErrors.tooManyReactions(maxDistinct)
          q.addReaction.run(messageId, emoji, userId, now)
        }
        stamp(messageId)
        return true
      })
      return { message: message(messageId)!, changed }
    },
    async messagesChanged (roomId, { upToSeq, afterRev, throughRev }, limit) {
      const rows = q.changed.all(roomId, upToSeq, afterRev, throughRev, limit + 1)
      return { messages: messages(rows.slice(0, limit)), hasMore: rows.length > limit }
    },
    async threadReplies (rootId, before, limit) {
      const rows = q.replies.all(rootId, before, limit + 1)
      return { messages: messages(rows.slice(0, limit).reverse()), hasMore: rows.length > limit }
    },
    async followThread (rootId, userIds, mode) {
      transaction(db, () => {
        for (const userId of new Set(userIds)) {
          if (mode === 'auto') q.autoFollow.run(rootId, userId)
          else q.follow.run(rootId, userId, mode === 'on' ? 1 : 0)
        }
      })
    },
    async threadFollowers (rootId) {
      return q.followers.all(rootId).map((row) => row.user_id as string)
    },
    async messagesAfter (roomId, since, limit) {
      const rows = q.after.all(roomId, since, limit + 1)
      return { messages: messages(rows.slice(0, limit)), hasMore: rows.length > limit }
    },
    async messagesBefore (roomId, before, limit) {
      const rows = q.before.all(roomId, before, limit + 1)
      return { messages: messages(rows.slice(0, limit).reverse()), hasMore: rows.length > limit }
    },
    async searchMessages (search) {
      if (search.cursor !== undefined && !/^[1-9]\d{0,15}$/.test(search.cursor)) throw StoreErrors.badSearchCursor()
      const sql = searchSql(search)
      let statement = searches.get(sql)
      if (!statement) searches.set(sql, statement = db.prepare(sql))
      const rows = statement.all({
        user: search.userId,
        limit: search.limit + 1,
        ...(search.terms.length > 0 && { match: ftsMatch(search.terms) }),
        ...(search.roomKey !== undefined && { room: search.roomKey }),
        ...(search.authorKey !== undefined && { author: search.authorKey }),
        ...(search.before !== undefined && { before: search.before }),
        ...(search.after !== undefined && { after: search.after }),
        ...(search.cursor !== undefined && { cursor: Number(search.cursor) })
      })
      const hits = rows.slice(0, search.limit)
      // Each hit's message as it now is, reactions included.
      const found = messages(hits)
      return { hits: hits.map((row, i) => ({ ...toSearchHit(row), message: found[i]! })), nextCursor: rows.length > search.limit ? String(hits.at(-1)!.search_rowid) : null }
    },
    async markRead (roomId, userId, seq) {
      return moveMarker(q.markRead, seq, roomId, userId)
    },
    async markUnread (roomId, userId, seq) {
      return moveMarker(q.markUnread, seq, roomId, userId)
    }
  }
}
