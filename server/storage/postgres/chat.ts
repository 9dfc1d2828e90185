import { newId } from '../ids.ts'
import { checkAttachable, IMAGE_COLUMNS, StoreErrors, toMessage, toRoom, toRoomInfo, toRoomMember, toSearchHit, toUserRoom, reactableIds, withReactions, type Row } from '../rows.ts'
import { settleAppends, type AppendOutcome } from '../group-commit.ts'
import type { Message, RoomRole } from '../../../shared/chat.ts'
import { isPrefixTerm } from '../../../shared/search.ts'
import type { AppendInput, AppendResult, ChatStore, PendingAppend } from '../types.ts'
import { LOCK_CLASS, type Sql, type Transaction } from './open-postgres.ts'
import { isUnreachable } from './unavailable.ts'

/** Most appends one statement commits. */
const MAX_BATCH = 256
/** How many times a batch is tried again after another node stored one of its (author, clientId) first. */
const RACE_RETRIES = 3

/** Another transaction stored one of the batch's (author, clientId) between our look-up and our insert. */
const isRaceLost = (error: unknown) => (error as { code?: unknown, constraint_name?: unknown } | null)?.code === '23505' &&
  (error as { constraint_name?: unknown }).constraint_name === 'messages_author_id_client_id_key'

/** A message's columns, not m.*: not its search words (migration 006), which only search reads. */
const MESSAGE_COLUMNS = 'm.id, m.room_id, m.seq, m.author_id, m.text, m.client_id, m.created_at, m.edited_at, m.deleted, m.rev, ' +
  'm.thread_root_id, m.also_in_room, m.reply_count, m.last_reply_at'
/** In the room's timeline: not a thread reply, or one also sent to the room. */
const IN_TIMELINE = '(m.thread_root_id IS NULL OR m.also_in_room)'

/** Each word as a prefix (or the word alone, see isPrefixTerm), all of them required, in the 'simple' configuration of the index. */
const tsQuery = (terms: readonly string[]) => terms.map((term) => `'${term.replaceAll("'", "''")}'${isPrefixTerm(term) ? ':*' : ''}`).join(' & ')
/** A search page's cursor: the last hit's place in the order, `<created_at>.<id>`. */
const SEARCH_CURSOR = /^(\d{1,16})\.([A-Za-z0-9_-]{1,64})$/

const pairKey = (authorId: string, clientId: string) => `${authorId}\n${clientId}`
const texts = (sql: Sql | Transaction, values: (string | number)[]) => sql.array(values.map(String))

/**
 * One batch of appends in one statement, committed on its own. The batch's rooms are locked
 * first, in the order of their ids, so that two nodes' batches over the same rooms wait for each
 * other instead of deadlocking; each new message takes its room's next seq, in the batch's order;
 * the messages, the rooms' `last_seq` and the authors' read markers are written together. It
 * returns the new messages, those already stored for the batch's (author, clientId), and the
 * rooms that do not exist. Another node storing one of the pairs after this statement's snapshot
 * makes the insert fail on the unique (author, clientId), and the batch is tried again.
 * Parameters: the batch's new ids, room ids, author ids, texts, client ids and times.
 */
const APPEND_BATCH = `
  WITH input AS MATERIALIZED (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[])
      WITH ORDINALITY AS v(id, room_id, author_id, text, client_id, created_at, n)
  ), locked AS MATERIALIZED (
    SELECT id, last_seq FROM rooms WHERE id IN (SELECT room_id FROM input) ORDER BY id FOR NO KEY UPDATE
  ), stored AS MATERIALIZED (
    SELECT * FROM messages WHERE (author_id, client_id) IN (SELECT author_id, client_id FROM input)
  ), fresh AS MATERIALIZED (
    SELECT i.id, i.room_id, l.last_seq + row_number() OVER (PARTITION BY i.room_id ORDER BY i.n) AS seq,
      i.author_id, i.text, i.client_id, i.created_at
    FROM (SELECT DISTINCT ON (author_id, client_id) * FROM input
      WHERE room_id IN (SELECT id FROM locked) AND (author_id, client_id) NOT IN (SELECT author_id, client_id FROM stored)
      ORDER BY author_id, client_id, n) i
    JOIN locked l ON l.id = i.room_id
  ), inserted AS (
    INSERT INTO messages (id, room_id, seq, author_id, text, client_id, created_at)
    SELECT id, room_id, seq, author_id, text, client_id, created_at FROM fresh RETURNING *
  ), bumped AS (
    UPDATE rooms r SET last_seq = t.seq FROM (SELECT room_id, max(seq) AS seq FROM fresh GROUP BY room_id) t WHERE r.id = t.room_id
  ), marked AS (
    UPDATE room_members rm SET last_read_seq = GREATEST(rm.last_read_seq, t.seq)
    FROM (SELECT room_id, author_id, max(seq) AS seq FROM fresh GROUP BY room_id, author_id) t
    WHERE rm.room_id = t.room_id AND rm.user_id = t.author_id
  )
  SELECT 'new' AS kind, m.id, m.room_id, m.seq, m.author_id, m.text, m.client_id, m.created_at, m.edited_at, m.deleted, m.rev, u.username,
    NULL, FALSE, 0::bigint, NULL::bigint,
    NULL AS image_id, NULL AS image_mime, NULL::int AS image_width, NULL::int AS image_height, NULL::int AS image_size
    FROM inserted m JOIN users u ON u.id = m.author_id
  UNION ALL
  SELECT 'stored', m.id, m.room_id, m.seq, m.author_id, m.text, m.client_id, m.created_at, m.edited_at, m.deleted, m.rev, u.username,
    m.thread_root_id, m.also_in_room, m.reply_count, m.last_reply_at, ${IMAGE_COLUMNS}
    FROM stored m JOIN users u ON u.id = m.author_id LEFT JOIN images i ON i.message_id = m.id
  UNION ALL
  SELECT 'no room', NULL, r.room_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM (SELECT DISTINCT room_id FROM input WHERE room_id NOT IN (SELECT id FROM locked)) r`

/** Each append's outcome, from the rows APPEND_BATCH returned for its batch (and the reactions of the messages already stored). */
function outcomesOf (batch: AppendInput[], rows: Row[], reactionRows: Row[]): AppendOutcome[] {
  const created = new Map<string, Message>()
  const stored = new Map<string, Message>()
  const missingRooms = new Set<string>()
  for (const row of rows) {
    if (row.kind === 'no room') missingRooms.add(row.room_id as string)
    else if (row.kind === 'new') created.set(pairKey(row.author_id as string, row.client_id as string), toMessage(row))
    else stored.set(pairKey(row.author_id as string, row.client_id as string), withReactions([toMessage(row)], reactionRows)[0]!)
  }
  // A pair sent twice in the batch: the first send creates its message, the others get it.
  const claimed = new Set<string>()
  return batch.map((input) => {
    const key = pairKey(input.authorId, input.clientId)
    const known = stored.get(key)
    if (known) return { ok: true, result: { message: known, created: false } }
    const message = created.get(key)
    if (message && claimed.has(key)) return { ok: true, result: { message, created: false } }
    if (missingRooms.has(input.roomId)) return { ok: false, error: StoreErrors.noSuchRoom() }
    if (!message) throw new Error(`the batch's statement returned no message for an append to room ${input.roomId}`)
    claimed.add(key)
    return { ok: true, result: { message, created: true } }
  })
}

// Each emoji in the order of its earliest standing reaction, its users in the order they reacted.
const reactionRows = (db: Sql | Transaction, messageIds: string[]) => messageIds.length === 0
  ? Promise.resolve([])
  : db`SELECT message_id, emoji, user_id, username FROM (
      SELECT r.message_id, r.emoji, r.user_id, u.username, r.n, MIN(r.n) OVER (PARTITION BY r.message_id, r.emoji) AS first
      FROM message_reactions r JOIN users u ON u.id = r.user_id WHERE r.message_id = ANY(${messageIds})) t
    ORDER BY message_id, first, n`

/** Messages from their rows, with their reactions. */
const withTheirReactions = async (db: Sql | Transaction, rows: Row[]) => {
  const messages = rows.map(toMessage)
  return withReactions(messages, await reactionRows(db, reactableIds(messages)))
}

export function createPostgresChatStore (sql: Sql): ChatStore {
  const messageColumns = (db: Sql | Transaction = sql) => db.unsafe(MESSAGE_COLUMNS)
  const messageRows = (db: Sql | Transaction = sql) => db`SELECT ${messageColumns(db)}, u.username, ${db.unsafe(IMAGE_COLUMNS)}
    FROM messages m JOIN users u ON u.id = m.author_id LEFT JOIN images i ON i.message_id = m.id`
  const memberCount = () => sql`(SELECT COUNT(*) FROM room_members c WHERE c.room_id = r.id) AS member_count`
  // Unread: others' live messages after the user's marker (seq is indexed per room).
  const unread = () => sql`(SELECT COUNT(*) FROM messages m WHERE m.room_id = r.id AND m.seq > rm.last_read_seq
    AND m.author_id <> rm.user_id AND NOT m.deleted AND ${sql.unsafe(IN_TIMELINE)}) AS unread`
  const userRooms = (userId: string) => sql`SELECT r.*, rm.user_id AS member, rm.last_read_seq, ${memberCount()}, ${unread()}
    FROM rooms r LEFT JOIN room_members rm ON rm.room_id = r.id AND rm.user_id = ${userId}`
  /** The read marker a statement returned, and the unread count after it. */
  const withUnread = async (roomId: string, userId: string, row: { last_read_seq?: unknown } | undefined) => {
    const lastReadSeq = (row?.last_read_seq as number | undefined) ?? 0
    const [{ n }] = await sql`SELECT COUNT(*) AS n FROM messages m
      WHERE m.room_id = ${roomId} AND m.seq > ${lastReadSeq} AND m.author_id <> ${userId} AND NOT m.deleted AND ${sql.unsafe(IN_TIMELINE)}` as [{ n: number }]
    return { lastReadSeq, unread: n }
  }
  const roomById = async (db: Sql | Transaction, id: string) =>
    toRoom((await db`SELECT r.*, ${memberCount()} FROM rooms r WHERE r.id = ${id}`)[0]!)
  // A new member starts with what was said before them read, not as a wall of unread.
  const addMember = (db: Sql | Transaction, roomId: string, userId: string, now: number) =>
    db`INSERT INTO room_members (room_id, user_id, joined_at, last_read_seq)
      SELECT id, ${userId}, ${now}, last_seq FROM rooms WHERE id = ${roomId} ON CONFLICT DO NOTHING`
  const message = async (id: string, db: Sql | Transaction = sql) => {
    const rows = await db`${messageRows(db)} WHERE m.id = ${id}`
    return rows.length > 0 ? (await withTheirReactions(db, [...rows]))[0]! : null
  }
  /**
   * A change to a message: the room's next rev on it. Every change locks the message's row
   * before its room's (appends lock rooms only), so that two changes never wait for each other crosswise.
   */
  const stamp = (tx: Transaction, messageId: string) => tx`
    WITH bumped AS (UPDATE rooms SET last_rev = last_rev + 1 WHERE id = (SELECT room_id FROM messages WHERE id = ${messageId}) RETURNING last_rev)
    UPDATE messages SET rev = bumped.last_rev FROM bumped WHERE messages.id = ${messageId}`

  /**
   * The batch's statement, on its own: the driver resolves it on ReadyForQuery, which PostgreSQL
   * sends after the statement's implicit commit (flushed, with synchronous_commit on). Unnamed,
   * so that it is planned for this batch's arrays every time (the generic plan a prepared
   * statement gets after five runs guesses their size wrong: a batch went from 5 ms to 300 ms),
   * while every other query, the foreign-key checks of its inserts included, keeps its cached
   * plan. The driver asks for an unnamed statement's parameter types first: two round trips,
   * against four for BEGIN, reads, writes and COMMIT.
   */
  const commitOnce = async (batch: AppendInput[]) => {
    const rows = await sql.unsafe(APPEND_BATCH, [
      sql.array(batch.map(() => newId())), sql.array(batch.map((input) => input.roomId)), sql.array(batch.map((input) => input.authorId)),
      sql.array(batch.map((input) => input.text)), sql.array(batch.map((input) => input.clientId)), texts(sql, batch.map((input) => input.now))
    ], { prepare: false })
    // A retry returns its message as it now is, reactions included.
    return outcomesOf(batch, rows, await reactionRows(sql, reactableIds(rows.filter((row) => row.kind === 'stored').map(toMessage))))
  }

  const commit = async (batch: AppendInput[]) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await commitOnce(batch)
      } catch (error) {
        if (!isRaceLost(error) || attempt >= RACE_RETRIES) throw error
      }
    }
  }

  /**
   * Group commit, as on SQLite: appends that arrive while a batch commits wait and go together
   * in the next one (a commit costs far more than an insert). Every promise settles after its
   * batch's commit, so an ack still means committed. A batch that fails for another reason than the
   * database being gone is taken apart, each append alone, so only the bad one fails.
   */
  const pending: PendingAppend[] = []
  let running = false
  const settle = async (batch: PendingAppend[]) => {
    try {
      const outcomes = await commit(batch.map(({ input }) => input))
      settleAppends(batch, outcomes)
    } catch (error) {
      if (batch.length === 1 || isUnreachable(error)) batch.forEach(({ reject }) => reject(error))
      else for (const one of batch) await settle([one])
    }
  }
  const drain = async () => {
    while (pending.length > 0) await settle(pending.splice(0, MAX_BATCH))
    running = false
  }

  /**
   * A thread reply or a message with an image, in a transaction of its own (they are few beside
   * messages, the root changes with a reply, and the group commit's statement would have to refuse
   * one append of a batch): the root's row is locked first, then the image's (so that of two
   * messages sending one image the second finds it sent), then the room's, as every change does.
   * Another node storing the same (author, clientId) first makes the insert fail on the unique
   * pair, and the stored one is returned.
   */
  const appendAlone = async (input: AppendInput, retried = false): Promise<AppendResult> => {
    const { roomId, authorId, text, clientId, now, threadRootId, alsoInRoom, image } = input
    const reply = threadRootId !== undefined
    try {
      return await sql.begin(async (tx) => {
        const [stored] = await tx`${messageRows(tx)} WHERE m.author_id = ${authorId} AND m.client_id = ${clientId}`
        if (stored) return { message: (await withTheirReactions(tx, [stored]))[0]!, created: false }
        if (reply) {
          const [root] = await tx`SELECT room_id, thread_root_id, deleted FROM messages WHERE id = ${threadRootId} FOR UPDATE`
          if (!root || root.room_id !== roomId || root.thread_root_id !== null) throw StoreErrors.notAThreadRoot()
          if (root.deleted) throw StoreErrors.messageDeleted()
        }
        if (image) {
          const [row] = await tx`SELECT uploader_id, room_id, created_at, message_id FROM images WHERE id = ${image.id} FOR UPDATE`
          checkAttachable(row, input, image.uploadedAfter)
        }
        // A reply changes its root too: the room's next rev goes on the root.
        const [room] = await tx`UPDATE rooms SET last_seq = last_seq + 1, last_rev = last_rev + ${reply ? 1 : 0}
          WHERE id = ${roomId} RETURNING last_seq, last_rev`
        if (!room) throw StoreErrors.noSuchRoom()
        const id = newId()
        await tx`INSERT INTO messages (id, room_id, seq, author_id, text, client_id, created_at, thread_root_id, also_in_room)
          VALUES (${id}, ${roomId}, ${room.last_seq as number}, ${authorId}, ${text}, ${clientId}, ${now}, ${threadRootId ?? null}, ${reply && alsoInRoom === true})`
        if (reply) await tx`UPDATE messages SET reply_count = reply_count + 1, last_reply_at = ${now}, rev = ${room.last_rev as number} WHERE id = ${threadRootId}`
        if (image) await tx`UPDATE images SET message_id = ${id} WHERE id = ${image.id}`
        await tx`UPDATE room_members SET last_read_seq = GREATEST(last_read_seq, ${room.last_seq as number}) WHERE room_id = ${roomId} AND user_id = ${authorId}`
        return { message: (await message(id, tx))!, created: true }
      })
    } catch (error) {
      if (!isRaceLost(error) || retried) throw error
      return appendAlone(input, true)
    }
  }

  return {
    async listRooms (userId) {
      return (await sql`${userRooms(userId)} WHERE r.visibility = 'public' OR rm.user_id IS NOT NULL
        ORDER BY r.visibility = 'direct', r.name COLLATE "C"`).map(toUserRoom)
    },
    async getRoom (roomId, userId) {
      const [row] = await sql`${userRooms(userId)} WHERE r.id = ${roomId}`
      return row ? toUserRoom(row) : null
    },
    async getRoomAccess (roomId, userId) {
      const [row] = await sql`SELECT r.id, r.name, r.topic, r.visibility, r.last_seq, r.last_rev, rm.user_id AS member FROM rooms r
        LEFT JOIN room_members rm ON rm.room_id = r.id AND rm.user_id = ${userId} WHERE r.id = ${roomId}`
      return row ? { ...toRoomInfo(row), member: row.member !== null } : null
    },
    async createRoom ({ name, nameKey, topic, visibility, createdBy, memberIds, now }) {
      const id = newId()
      return sql.begin(async (tx) => {
        // One creator of a name at a time, across nodes: the check and the insert are one step.
        await tx`SELECT pg_advisory_xact_lock(${LOCK_CLASS}::int, hashtext(${nameKey}))`
        if ((await tx`SELECT 1 FROM rooms WHERE name_key = ${nameKey} AND visibility = 'public'`).length > 0) return null
        await tx`INSERT INTO rooms (id, name, name_key, topic, visibility, created_by, created_at)
          VALUES (${id}, ${name}, ${nameKey}, ${topic}, ${visibility}, ${createdBy}, ${now})`
        for (const userId of memberIds) await addMember(tx, id, userId, now)
        await tx`UPDATE room_members SET role = 'owner' WHERE room_id = ${id} AND user_id = ${createdBy}`
        return roomById(tx, id)
      })
    },
    async findOrCreateDirect ({ userIds, name, now }) {
      const key = [...userIds].sort().join(':')
      return sql.begin(async (tx) => {
        const id = newId()
        // The pair is unique: of two nodes creating it at once, the second waits and finds the first's.
        const inserted = await tx`INSERT INTO rooms (id, name, topic, visibility, direct_key, created_by, created_at)
          VALUES (${id}, ${name}, '', 'direct', ${key}, ${userIds[0]}, ${now}) ON CONFLICT (direct_key) DO NOTHING`
        if (inserted.count === 0) {
          const [existing] = await tx`SELECT r.*, ${memberCount()} FROM rooms r WHERE r.direct_key = ${key}`
          return { room: toRoom(existing!), created: false }
        }
        for (const userId of userIds) await addMember(tx, id, userId, now)
        return { room: await roomById(tx, id), created: true }
      })
    },
    async addMember (roomId, userId, now) {
      return (await addMember(sql, roomId, userId, now)).count > 0
    },
    async members (roomId) {
      return (await sql`SELECT u.id, u.username, rm.role FROM room_members rm JOIN users u ON u.id = rm.user_id
        WHERE rm.room_id = ${roomId} ORDER BY u.username_key COLLATE "C"`).map(toRoomMember)
    },
    async memberRole (roomId, userId) {
      const [row] = await sql`SELECT role FROM room_members WHERE room_id = ${roomId} AND user_id = ${userId}`
      return (row?.role as RoomRole | undefined) ?? null
    },
    async updateRoom ({ roomId, name, nameKey, topic }) {
      return sql.begin(async (tx) => {
        if (name !== undefined && nameKey !== undefined) {
          // One claimant of a name at a time, across nodes, as createRoom does.
          await tx`SELECT pg_advisory_xact_lock(${LOCK_CLASS}::int, hashtext(${nameKey}))`
          if ((await tx`SELECT 1 FROM rooms WHERE name_key = ${nameKey} AND visibility = 'public' AND id <> ${roomId}`).length > 0) {
            if ((await tx`SELECT 1 FROM rooms WHERE id = ${roomId}`).length === 0) throw StoreErrors.noSuchRoom()
            return null
          }
          await tx`UPDATE rooms SET name = ${name}, name_key = ${nameKey} WHERE id = ${roomId}`
        }
        if (topic !== undefined) await tx`UPDATE rooms SET topic = ${topic} WHERE id = ${roomId}`
        const [row] = await tx`SELECT * FROM rooms WHERE id = ${roomId}`
        if (!row) throw StoreErrors.noSuchRoom()
        return toRoomInfo(row)
      })
    },
    async setMemberRole (roomId, userId, role) {
      return (await sql`UPDATE room_members SET role = ${role} WHERE room_id = ${roomId} AND user_id = ${userId}`).count > 0
    },
    async removeMember (roomId, userId) {
      return sql.begin(async (tx) => {
        // The room's row locked: two owners' handovers (a leave and a removal at once) go one after the other.
        await tx`SELECT 1 FROM rooms WHERE id = ${roomId} FOR NO KEY UPDATE`
        const [gone] = await tx`DELETE FROM room_members WHERE room_id = ${roomId} AND user_id = ${userId} RETURNING role`
        if (!gone) return { removed: false, newOwner: null }
        if (gone.role !== 'owner') return { removed: true, newOwner: null }
        // The next owner: the longest-standing admin, or else the longest-standing member.
        const [next] = await tx`SELECT u.id, u.username, rm.role FROM room_members rm JOIN users u ON u.id = rm.user_id
          WHERE rm.room_id = ${roomId} ORDER BY rm.role = 'admin' DESC, rm.joined_at, rm.user_id COLLATE "C" LIMIT 1`
        if (!next) return { removed: true, newOwner: null }
        await tx`UPDATE room_members SET role = 'owner' WHERE room_id = ${roomId} AND user_id = ${next.id as string}`
        return { removed: true, newOwner: { ...toRoomMember(next), role: 'owner' as const } }
      })
    },
    appendMessage (input) {
      if (input.threadRootId !== undefined || input.image) return appendAlone(input)
      return new Promise((resolve, reject) => {
        pending.push({ input, resolve, reject })
        if (!running) {
          running = true
          setImmediate(drain)
        }
      })
    },
    async getMessage (messageId) {
      return message(messageId)
    },
    async editMessage (messageId, text, now) {
      return sql.begin(async (tx) => {
        const { count } = await tx`UPDATE messages SET text = ${text}, edited_at = ${now} WHERE id = ${messageId} AND NOT deleted`
        if (count === 0) throw StoreErrors.messageDeleted()
        await stamp(tx, messageId)
        return (await message(messageId, tx))!
      })
    },
    async deleteMessage (messageId, now) {
      return sql.begin(async (tx) => {
        await tx`UPDATE messages SET text = '', deleted = TRUE, edited_at = ${now} WHERE id = ${messageId}`
        await tx`DELETE FROM message_reactions WHERE message_id = ${messageId}`
        await tx`DELETE FROM images WHERE message_id = ${messageId}`
        await stamp(tx, messageId)
        return (await message(messageId, tx))!
      })
    },
    async react ({ messageId, userId, emoji, on, now, maxDistinct }) {
      return sql.begin(async (tx) => {
        // The message's row locked: concurrent reactions to it look and write one after another.
        const [locked] = await tx`SELECT deleted FROM messages WHERE id = ${messageId} FOR UPDATE`
        if (!locked) throw StoreErrors.noSuchMessage()
        if (locked.deleted) throw StoreErrors.messageDeleted()
        // A statement of its own, after the lock: its snapshot sees what the reaction before it committed.
        const [state] = await tx`SELECT
          EXISTS (SELECT 1 FROM message_reactions WHERE message_id = ${messageId} AND emoji = ${emoji} AND user_id = ${userId}) AS has,
          EXISTS (SELECT 1 FROM message_reactions WHERE message_id = ${messageId} AND emoji = ${emoji}) AS used` as [{ has: boolean, used: boolean }]
        const has = state.has
        if ((on ?? !has) === has) return { message: (await message(messageId, tx))!, changed: false }
        if (has) {
          await tx`DELETE FROM message_reactions WHERE message_id = ${messageId} AND emoji = ${emoji} AND user_id = ${userId}`
        } else {
          const [{ n }] = await tx`SELECT COUNT(DISTINCT emoji) AS n FROM message_reactions WHERE message_id = ${messageId}` as [{ n: number }]
          if (!state.used && n >= maxDistinct) throw StoreErrors.tooManyReactions(maxDistinct)
          await tx`INSERT INTO message_reactions (message_id, emoji, user_id, created_at) VALUES (${messageId}, ${emoji}, ${userId}, ${now})`
        }
        await stamp(tx, messageId)
        return { message: (await message(messageId, tx))!, changed: true }
      })
    },
    async messagesChanged (roomId, { upToSeq, afterRev, throughRev }, limit) {
      const rows = await sql`${messageRows()}
        WHERE m.room_id = ${roomId} AND m.seq <= ${upToSeq} AND m.rev > ${afterRev} AND m.rev <= ${throughRev} ORDER BY m.rev LIMIT ${limit + 1}`
      return { messages: await withTheirReactions(sql, rows.slice(0, limit)), hasMore: rows.length > limit }
    },
    async messagesAfter (roomId, since, limit) {
      const rows = await sql`${messageRows()}
        WHERE m.room_id = ${roomId} AND m.seq > ${since} ORDER BY m.seq LIMIT ${limit + 1}`
      return { messages: await withTheirReactions(sql, rows.slice(0, limit)), hasMore: rows.length > limit }
    },
    async messagesBefore (roomId, before, limit) {
      const rows = await sql`${messageRows()}
        WHERE m.room_id = ${roomId} AND m.seq < ${before} AND ${sql.unsafe(IN_TIMELINE)} ORDER BY m.seq DESC LIMIT ${limit + 1}`
      return { messages: await withTheirReactions(sql, rows.slice(0, limit).reverse()), hasMore: rows.length > limit }
    },
    async threadReplies (rootId, before, limit) {
      const rows = await sql`${messageRows()}
        WHERE m.thread_root_id = ${rootId} AND m.seq < ${before} ORDER BY m.seq DESC LIMIT ${limit + 1}`
      return { messages: await withTheirReactions(sql, rows.slice(0, limit).reverse()), hasMore: rows.length > limit }
    },
    async followThread (rootId, userIds, mode) {
      const ids = [...new Set(userIds)]
      if (ids.length === 0) return
      if (mode === 'auto') {
        await sql`INSERT INTO thread_follows (root_id, user_id, following)
          SELECT ${rootId}, unnest(${sql.array(ids)}::text[]), TRUE ON CONFLICT DO NOTHING`
      } else {
        await sql`INSERT INTO thread_follows (root_id, user_id, following)
          SELECT ${rootId}, unnest(${sql.array(ids)}::text[]), ${mode === 'on'}
          ON CONFLICT (root_id, user_id) DO UPDATE SET following = excluded.following`
      }
    },
    async threadFollowers (rootId) {
      return (await sql`SELECT user_id FROM thread_follows WHERE root_id = ${rootId} AND following ORDER BY user_id COLLATE "C"`).map((row) => row.user_id as string)
    },
    async searchMessages ({ userId, terms, roomKey, authorKey, hasLink, before, after, cursor, limit }) {
      const at = cursor === undefined ? null : SEARCH_CURSOR.exec(cursor)
      if (cursor !== undefined && !at) throw StoreErrors.badSearchCursor()
      // Planned for its own words each time (an unnamed statement): how many messages a word is in
      // decides between walking the newest messages and reading the index, and a plan cached for
      // one word would be kept for all.
      const params: unknown[] = [userId]
      const param = (value: unknown) => `$${params.push(value)}`
      const rows = await sql.unsafe(`SELECT ${MESSAGE_COLUMNS}, u.username, ${IMAGE_COLUMNS}, r.name AS room_name, r.visibility AS room_visibility
        FROM messages m
        JOIN rooms r ON r.id = m.room_id
        JOIN users u ON u.id = m.author_id
        LEFT JOIN images i ON i.message_id = m.id
        LEFT JOIN room_members rm ON rm.room_id = m.room_id AND rm.user_id = $1
        WHERE NOT m.deleted AND (r.visibility = 'public' OR rm.user_id IS NOT NULL)
        ${terms.length > 0 ? `AND m.search_words @@ to_tsquery('simple', ${param(tsQuery(terms))})` : ''}
        ${roomKey !== undefined ? `AND r.name_key = ${param(roomKey)}` : ''}
        ${authorKey !== undefined ? `AND m.author_id = (SELECT id FROM users WHERE username_key = ${param(authorKey)})` : ''}
        ${hasLink ? "AND (m.text ILIKE '%http://%' OR m.text ILIKE '%https://%')" : ''}
        ${before !== undefined ? `AND m.created_at < ${param(String(before))}` : ''}
        ${after !== undefined ? `AND m.created_at >= ${param(String(after))}` : ''}
        ${at ? `AND (m.created_at, m.id) < (${param(at[1])}::bigint, ${param(at[2])})` : ''}
        ORDER BY m.created_at DESC, m.id DESC LIMIT ${param(String(limit + 1))}`, params as string[], { prepare: false })
      const hits = rows.slice(0, limit)
      const last = hits.at(-1)
      // Each hit's message as it now is, reactions included.
      const found = await withTheirReactions(sql, hits)
      return {
        hits: hits.map((row, i) => ({ ...toSearchHit(row), message: found[i]! })),
        nextCursor: rows.length > limit && last ? `${last.created_at as number}.${last.id as string}` : null
      }
    },
    async markRead (roomId, userId, seq) {
      const [row] = await sql`UPDATE room_members
        SET last_read_seq = GREATEST(last_read_seq, LEAST(${seq}::bigint, (SELECT last_seq FROM rooms WHERE id = ${roomId})))
        WHERE room_id = ${roomId} AND user_id = ${userId} RETURNING last_read_seq`
      return withUnread(roomId, userId, row)
    },
    async markUnread (roomId, userId, seq) {
      const [row] = await sql`UPDATE room_members
        SET last_read_seq = GREATEST(0, LEAST(${seq}::bigint - 1, (SELECT last_seq FROM rooms WHERE id = ${roomId})))
        WHERE room_id = ${roomId} AND user_id = ${userId} RETURNING last_read_seq`
      return withUnread(roomId, userId, row)
    }
  }
}
