import { newId } from '../ids.ts'
import { StoreErrors, toMessage, toRoom, toRoomInfo, toUser, toUserRoom, type Row } from '../rows.ts'
import { settleAppends, type AppendOutcome } from '../group-commit.ts'
import type { AppendInput, ChatStore, PendingAppend } from '../types.ts'
import { LOCK_CLASS, type Sql, type Transaction } from './open-postgres.ts'
import { isUnreachable } from './unavailable.ts'

/** Most appends one transaction commits. */
const MAX_BATCH = 256
/** How many times a batch is tried again after another node stored one of its (author, clientId) first. */
const RACE_RETRIES = 3

/** Another transaction stored one of the batch's (author, clientId) between our look-up and our insert. */
class RaceLost extends Error {}

const pairKey = (authorId: string, clientId: string) => `${authorId}\n${clientId}`
const texts = (sql: Sql | Transaction, values: (string | number)[]) => sql.array(values.map(String))

export function createPostgresChatStore (sql: Sql): ChatStore {
  const messageRows = () => sql`SELECT m.*, u.username FROM messages m JOIN users u ON u.id = m.author_id`
  const memberCount = () => sql`(SELECT COUNT(*) FROM room_members c WHERE c.room_id = r.id) AS member_count`
  // Unread: others' live messages after the user's marker (seq is indexed per room).
  const unread = () => sql`(SELECT COUNT(*) FROM messages m WHERE m.room_id = r.id AND m.seq > rm.last_read_seq
    AND m.author_id <> rm.user_id AND NOT m.deleted) AS unread`
  const userRooms = (userId: string) => sql`SELECT r.*, rm.user_id AS member, rm.last_read_seq, ${memberCount()}, ${unread()}
    FROM rooms r LEFT JOIN room_members rm ON rm.room_id = r.id AND rm.user_id = ${userId}`
  const roomById = async (db: Sql | Transaction, id: string) =>
    toRoom((await db`SELECT r.*, ${memberCount()} FROM rooms r WHERE r.id = ${id}`)[0]!)
  // A new member starts with what was said before them read, not as a wall of unread.
  const addMember = (db: Sql | Transaction, roomId: string, userId: string, now: number) =>
    db`INSERT INTO room_members (room_id, user_id, joined_at, last_read_seq)
      SELECT id, ${userId}, ${now}, last_seq FROM rooms WHERE id = ${roomId} ON CONFLICT DO NOTHING`
  const message = async (id: string) => {
    const [row] = await sql`${messageRows()} WHERE m.id = ${id}`
    return row ? toMessage(row) : null
  }

  /**
   * One batch of appends in one transaction. Its rooms are locked first, in the order of their
   * ids, so that two nodes' batches over the same rooms wait for each other instead of
   * deadlocking; then each new message takes its room's next seq, and the room's `last_seq`,
   * the messages and the authors' read markers are written in three statements. A retry of a
   * stored (author, clientId) gets the stored message; an unknown room, `not_found`, costing no seq.
   */
  const appendBatch = async (tx: Transaction, batch: AppendInput[]): Promise<AppendOutcome[]> => {
    const roomIds = [...new Set(batch.map((input) => input.roomId))]
    const [, rooms, stored] = await Promise.all([
      // Planned for this batch's arrays: the generic plan that prepared statements get after five
      // runs guesses their size wrong, and a batch went from 5 ms to 300 ms (open-postgres.ts).
      tx`SET LOCAL plan_cache_mode = force_custom_plan`,
      tx`SELECT id, last_seq FROM rooms WHERE id = ANY(${tx.array(roomIds)}::text[]) ORDER BY id FOR NO KEY UPDATE`,
      tx`SELECT m.*, u.username FROM messages m JOIN users u ON u.id = m.author_id
        WHERE (m.author_id, m.client_id) IN (SELECT * FROM unnest(${tx.array(batch.map((input) => input.authorId))}::text[],
          ${tx.array(batch.map((input) => input.clientId))}::text[]))`
    ])
    const lastSeq = new Map(rooms.map((row) => [row.id as string, row.last_seq as number]))
    const byPair = new Map(stored.map((row) => [pairKey(row.author_id as string, row.client_id as string), toMessage(row)]))

    // Each append's outcome, or the index of the new message it gets (first: it created it).
    const outcomes: (AppendOutcome | { index: number, first: boolean })[] = []
    const fresh: (AppendInput & { id: string, seq: number })[] = []
    const firstInBatch = new Map<string, number>()
    // The rooms that get messages, with their new last seq.
    const bumpedTo = new Map<string, number>()
    for (const input of batch) {
      const key = pairKey(input.authorId, input.clientId)
      const known = byPair.get(key)
      const earlier = firstInBatch.get(key)
      const seq = lastSeq.get(input.roomId)
      if (known) outcomes.push({ ok: true, result: { message: known, created: false } })
      else if (earlier !== undefined) outcomes.push({ index: earlier, first: false })
      else if (seq === undefined) outcomes.push({ ok: false, error: StoreErrors.noSuchRoom() })
      else {
        lastSeq.set(input.roomId, seq + 1)
        bumpedTo.set(input.roomId, seq + 1)
        firstInBatch.set(key, fresh.length)
        outcomes.push({ index: fresh.length, first: true })
        fresh.push({ ...input, id: newId(), seq: seq + 1 })
      }
    }
    if (fresh.length === 0) return outcomes as AppendOutcome[]

    const readUpTo = new Map<string, { roomId: string, userId: string, seq: number }>()
    for (const { roomId, authorId, seq } of fresh) readUpTo.set(pairKey(roomId, authorId), { roomId, userId: authorId, seq })
    const bumped = [...bumpedTo]
    const markers = [...readUpTo.values()]
    const [inserted] = await Promise.all([
      tx`WITH ins AS (
          INSERT INTO messages (id, room_id, seq, author_id, text, client_id, created_at)
          SELECT * FROM unnest(${tx.array(fresh.map((m) => m.id))}::text[], ${tx.array(fresh.map((m) => m.roomId))}::text[],
            ${texts(tx, fresh.map((m) => m.seq))}::bigint[], ${tx.array(fresh.map((m) => m.authorId))}::text[],
            ${tx.array(fresh.map((m) => m.text))}::text[], ${tx.array(fresh.map((m) => m.clientId))}::text[],
            ${texts(tx, fresh.map((m) => m.now))}::bigint[])
          ON CONFLICT (author_id, client_id) DO NOTHING RETURNING *)
        SELECT ins.*, u.username FROM ins JOIN users u ON u.id = ins.author_id`,
      tx`UPDATE rooms SET last_seq = v.last_seq
        FROM unnest(${tx.array(bumped.map(([id]) => id))}::text[], ${texts(tx, bumped.map(([, seq]) => seq))}::bigint[]) AS v(id, last_seq)
        WHERE rooms.id = v.id`,
      tx`UPDATE room_members rm SET last_read_seq = GREATEST(rm.last_read_seq, v.seq)
        FROM unnest(${tx.array(markers.map((m) => m.roomId))}::text[], ${tx.array(markers.map((m) => m.userId))}::text[],
          ${texts(tx, markers.map((m) => m.seq))}::bigint[]) AS v(room_id, user_id, seq)
        WHERE rm.room_id = v.room_id AND rm.user_id = v.user_id`
    ])
    // A conflict means another node committed one of these pairs after our look-up: the seqs
    // given out would leave a gap, so the whole transaction is rolled back and tried again.
    if (inserted.length < fresh.length) throw new RaceLost()
    const byId = new Map(inserted.map((row: Row) => [row.id as string, toMessage(row)]))
    return outcomes.map((outcome) => 'ok' in outcome
      ? outcome
      : { ok: true, result: { message: byId.get(fresh[outcome.index]!.id)!, created: outcome.first } })
  }

  const commit = async (batch: AppendInput[]) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await sql.begin((tx) => appendBatch(tx, batch))
      } catch (error) {
        if (!(error instanceof RaceLost) || attempt >= RACE_RETRIES) throw error
      }
    }
  }

  /**
   * Group commit, as on SQLite: appends that arrive while a batch commits wait and go together
   * in the next one (a commit costs far more than an insert). Every promise settles after its
   * COMMIT, so an ack still means committed. A batch that fails for another reason than the
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
      const [row] = await sql`SELECT r.id, r.name, r.topic, r.visibility, r.last_seq, rm.user_id AS member FROM rooms r
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
      return (await sql`SELECT u.id, u.username FROM room_members rm JOIN users u ON u.id = rm.user_id
        WHERE rm.room_id = ${roomId} ORDER BY u.username_key COLLATE "C"`).map(toUser)
    },
    appendMessage (input) {
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
      const { count } = await sql`UPDATE messages SET text = ${text}, edited_at = ${now} WHERE id = ${messageId} AND NOT deleted`
      if (count === 0) throw StoreErrors.messageDeleted()
      return (await message(messageId))!
    },
    async deleteMessage (messageId, now) {
      await sql`UPDATE messages SET text = '', deleted = TRUE, edited_at = ${now} WHERE id = ${messageId}`
      return (await message(messageId))!
    },
    async messagesAfter (roomId, since, limit) {
      const rows = await sql`${messageRows()}
        WHERE m.room_id = ${roomId} AND m.seq > ${since} ORDER BY m.seq LIMIT ${limit + 1}`
      return { messages: rows.slice(0, limit).map(toMessage), hasMore: rows.length > limit }
    },
    async messagesBefore (roomId, before, limit) {
      const rows = await sql`${messageRows()}
        WHERE m.room_id = ${roomId} AND m.seq < ${before} ORDER BY m.seq DESC LIMIT ${limit + 1}`
      return { messages: rows.slice(0, limit).reverse().map(toMessage), hasMore: rows.length > limit }
    },
    async markRead (roomId, userId, seq) {
      const [row] = await sql`UPDATE room_members
        SET last_read_seq = GREATEST(last_read_seq, LEAST(${seq}::bigint, (SELECT last_seq FROM rooms WHERE id = ${roomId})))
        WHERE room_id = ${roomId} AND user_id = ${userId} RETURNING last_read_seq`
      const lastReadSeq = (row?.last_read_seq as number | undefined) ?? 0
      const [{ n }] = await sql`SELECT COUNT(*) AS n FROM messages
        WHERE room_id = ${roomId} AND seq > ${lastReadSeq} AND author_id <> ${userId} AND NOT deleted` as [{ n: number }]
      return { lastReadSeq, unread: n }
    }
  }
}
