/**
 * Scenario 7, search: a store filled with a million messages (generated here: words drawn from a
 * Zipf-like vocabulary, so some words are in a tenth of all messages and most in a handful; rooms
 * public and private; one message in twenty with a link), then `chat:search`'s first page asked
 * through the store interface the server uses (`ChatStore.searchMessages`), for a user who may
 * read the public rooms and some private ones, with every kind of query the language has. Beside
 * it, in the same run, the search the index replaces: a `LIKE '%word%'` scan of the same table.
 * The same data and the same queries on each store in turn, SQLite then PostgreSQL; with each,
 * the time to build the search index over all the messages, and its size.
 */
import { performance } from 'node:perf_hooks'
import { DatabaseSync } from 'node:sqlite'
import { connectPostgres } from '../../server/storage/postgres/open-postgres.ts'
import { createStorage } from '../../server/storage/create-storage.ts'
import type { MessageSearch, Storage } from '../../server/storage/types.ts'
import { roomNameKey } from '../../shared/chat.ts'
import { parseSearchQuery } from '../../shared/search.ts'
import { onEachStore, storeLabels, type BenchDatabase, type PerStore, type Store } from '../lib/bench-database.ts'
import { createHistogram } from '../lib/histogram.ts'
import { latencyOf, warn, withProgress, type BenchContext } from '../lib/harness.ts'
import type { LatencySummary } from '../lib/histogram.ts'
import { createSeededRandom } from '../../server/ticker/seeded-random.ts'

export interface SearchQueryResult {
  /** What kind of query, as typed by a user (with a placeholder for the word). */
  kind: string
  latency: LatencySummary
  /** Hits on the first page, on average (20 is a full page). */
  hits: number
}

export interface SearchStoreResult {
  store: Store
  messages: number
  /** Writing the messages, the search index kept up as they go in (SQLite) or built after (PostgreSQL, see indexBuildSec). */
  loadSec: number
  /** Building the search index over every message (SQLite: FTS5 'rebuild'; PostgreSQL: REINDEX of the GIN index). */
  indexBuildSec: number
  indexMiB: number
  /** Every query's first page. */
  firstPage: LatencySummary
  queries: SearchQueryResult[]
  /** The same rare-word queries as a LIKE '%word%' scan, newest first: the search without an index. */
  scan: LatencySummary
}

export interface SearchResult extends PerStore<SearchStoreResult> {
  messages: number
  users: number
  rooms: number
  queriesPerKind: number
  /** The share of queries whose first page (the messages, in order) is the same on both stores; null unless both ran. */
  sameHits: number | null
}

/** When the generated history starts: one message a second from here, so that before:/after: days cut it in parts. */
const START = Date.UTC(2026, 0, 1)

/** The queries, with `{w}` a word of the given frequency class (`{w2}` another one). */
const KINDS = [
  { kind: 'common word', query: '{common}' },
  { kind: 'usual word', query: '{usual}' },
  { kind: 'rare word', query: '{rare}' },
  { kind: 'prefix (3 letters)', query: '{prefix}' },
  { kind: 'two words', query: '{usual} {common}' },
  { kind: 'word in:room', query: '{usual} in:{room}' },
  { kind: 'from:user alone', query: 'from:{user}' },
  { kind: 'word has:link', query: '{common} has:link' },
  { kind: 'rare word after:day', query: '{rare} after:{day}' }
] as const

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'vo', 'shi', 'den', 'por', 'gal', 'ber', 'tin', 'zu', 'fa', 'qui', 'mon', 'sel']

export async function runSearch (ctx: BenchContext): Promise<SearchResult> {
  const sizes = ctx.quick
    ? { messages: 20_000, users: 50, rooms: 20, queries: 10 }
    : { messages: 1_000_000, users: 500, rooms: 100, queries: 60 }
  const result: SearchResult = {
    messages: sizes.messages, users: sizes.users, rooms: sizes.rooms, queriesPerKind: sizes.queries, stores: {}, skipped: {}, sameHits: null
  }
  const data = generate(sizes)
  // The same queries, in the same order, on each store.
  const days = sizes.messages * 1000 / 86_400_000
  const fill = (query: string) => query
    .replace('{common}', data.pick(data.words.common))
    .replace('{usual}', data.pick(data.words.usual))
    .replace('{rare}', data.pick(data.words.rare))
    .replace('{prefix}', data.pick(data.words.prefix))
    .replace('{room}', data.pick(data.roomSpecs.filter((spec) => spec.visibility === 'public')).name)
    .replace('{user}', data.pick(data.users))
    .replace('{day}', new Date(START + Math.floor(days / 2) * 86_400_000).toISOString().slice(0, 10))
  const queries = KINDS.map(({ kind, query }) => ({ kind, texts: Array.from({ length: sizes.queries }, () => fill(query)) }))
  const pages: Partial<Record<Store, string[]>> = {}
  await onEachStore(ctx, result, (message) => warn(ctx, `search: ${message}`), async (database) => {
    const storage = await createStorage({ databaseUrl: database.url, databasePoolSize: 4 })
    try {
      const measured = await measureStore(ctx, database.store, database, storage, data, queries)
      pages[database.store] = measured.pages
      return measured.result
    } finally {
      await storage.close()
    }
  })
  if (pages.sqlite && pages.postgres) result.sameHits = pages.sqlite.filter((page, i) => page === pages.postgres![i]).length / pages.sqlite.length
  return result
}

type Data = ReturnType<typeof generate>

/** The users, rooms and message texts: the same for both stores (a seeded random). */
function generate ({ messages, users, rooms }: { messages: number, users: number, rooms: number }) {
  const random = createSeededRandom(20261130)
  const pick = <T>(items: readonly T[]) => items[Math.floor(random.next() * items.length)]!
  // 20,000 made-up words (numbers written in syllables, at least two, in a seeded order); word i is
  // drawn with weight 1 / (i + 10): a few common, most rare.
  const spell = (n: number): string => n < SYLLABLES.length ? SYLLABLES[n]! : spell(Math.floor(n / SYLLABLES.length) - 1) + SYLLABLES[n % SYLLABLES.length]!
  const vocabulary = Array.from({ length: 20_000 }, (_, i) => spell(i + SYLLABLES.length))
  for (let i = vocabulary.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1))
    ;[vocabulary[i], vocabulary[j]] = [vocabulary[j]!, vocabulary[i]!]
  }
  const weights = vocabulary.map((_, i) => 1 / (i + 10))
  const cumulative: number[] = []
  weights.reduce((sum, w, i) => (cumulative[i] = sum + w), 0)
  const total = cumulative.at(-1)!
  const word = () => {
    const target = random.next() * total
    let lo = 0
    let hi = cumulative.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cumulative[mid]! < target) lo = mid + 1
      else hi = mid
    }
    return vocabulary[lo]!
  }
  const roomSpecs = Array.from({ length: rooms }, (_, i) => ({ name: `room${i}`, visibility: i % 5 === 4 ? 'private' as const : 'public' as const }))
  const texts = Array.from({ length: messages }, () => {
    const words = Array.from({ length: 3 + Math.floor(random.next() * 15) }, word)
    if (random.next() < 0.05) words.push(`https://example.com/${word()}`)
    return words.join(' ')
  })
  const rank = (i: number) => vocabulary[i]!
  return {
    users: Array.from({ length: users }, (_, i) => `user${i}`),
    roomSpecs,
    texts,
    /** Words by frequency class: the 10 most common, around rank 300, past rank 15,000. */
    words: {
      common: Array.from({ length: 10 }, (_, i) => rank(i)),
      usual: Array.from({ length: 50 }, (_, i) => rank(300 + i)),
      rare: Array.from({ length: 50 }, (_, i) => rank(15_000 + i * 10)),
      prefix: SYLLABLES.flatMap((a) => SYLLABLES.map((b) => `${a}${b}`.slice(0, 3)))
    },
    roomOf: (i: number) => i % rooms,
    authorOf: (i: number) => (i * 7919) % users,
    pick
  }
}

async function measureStore (ctx: BenchContext, store: Store, database: BenchDatabase, storage: Storage, data: Data, kinds: { kind: string, texts: string[] }[]) {
  const label = `search ${storeLabels[store]}`
  const now = START
  const users: Awaited<ReturnType<Storage['users']['create']>>[] = []
  for (const username of data.users) users.push(await storage.users.create({ username, passwordHash: 'bench', now }))
  const searcher = users[0]!
  const rooms: { id: string }[] = []
  for (const [i, spec] of data.roomSpecs.entries()) {
    // The searcher belongs to every other private room: the rest are someone else's.
    const members = spec.visibility === 'private'
      ? users.filter((_, u) => u % 10 === i % 10 || (u === 0 && i % 10 === 4)).map((user) => user.id)
      : [users[0]!.id]
    rooms.push((await storage.chat.createRoom({ name: spec.name, nameKey: roomNameKey(spec.name), topic: '', visibility: spec.visibility, createdBy: members[0]!, memberIds: members, now }))!)
  }
  const createdAt = (i: number) => now + i * 1000
  const rows = data.texts.map((text, i) => ({ id: `m${i}`, roomId: rooms[data.roomOf(i)]!.id, authorId: users[data.authorOf(i)]!.id, text, createdAt: createdAt(i) }))

  const loadStarted = performance.now()
  const { indexBuildMs, indexBytes } = await withProgress(ctx, null, `${label}: writing ${rows.length} messages and building the index`,
    store === 'sqlite' ? loadSqlite(database.url, rows) : loadPostgres(database.url, rows))
  const loadSec = (performance.now() - loadStarted - indexBuildMs) / 1000

  const searchOf = (text: string): MessageSearch => {
    const parsed = parseSearchQuery(text)
    if (!parsed.ok) throw new Error(`${text}: ${parsed.reason}`)
    const { terms, room, from, hasLink, before, after } = parsed.query
    return {
      userId: searcher.id,
      terms,
      hasLink,
      limit: 20,
      ...(room !== undefined && { roomKey: roomNameKey(room) }),
      ...(from !== undefined && { authorKey: from.toLowerCase() }),
      ...(before !== undefined && { before }),
      ...(after !== undefined && { after })
    }
  }

  // Warm-up: the first queries read the index from disk into the cache.
  for (const { texts } of kinds) await storage.chat.searchMessages(searchOf(texts[0]!))
  const all = createHistogram()
  const queries: SearchQueryResult[] = []
  /** Each query's first page, as message ids in order (compared between the stores). */
  const pages: string[] = []
  for (const { kind, texts } of kinds) {
    const histogram = createHistogram()
    let hits = 0
    await withProgress(ctx, null, `${label}: ${kind}`, (async () => {
      for (const text of texts) {
        const search = searchOf(text)
        const started = performance.now()
        const page = await storage.chat.searchMessages(search)
        const ms = performance.now() - started
        histogram.record(ms)
        all.record(ms)
        hits += page.hits.length
        pages.push(page.hits.map((hit) => hit.message.id).join(' '))
      }
    })())
    queries.push({ kind, latency: latencyOf(histogram.toJSON()), hits: hits / texts.length })
  }
  const rareWords = kinds.find(({ kind }) => kind === 'rare word')!.texts.slice(0, 10)
  const scan = await withProgress(ctx, null, `${label}: LIKE scan`, likeScan(store, database.url, searcher.id, rareWords))
  const result: SearchStoreResult = {
    store,
    messages: rows.length,
    loadSec,
    indexBuildSec: indexBuildMs / 1000,
    indexMiB: indexBytes / 2 ** 20,
    firstPage: latencyOf(all.toJSON()),
    queries,
    scan
  }
  ctx.progress.log(`  ${label}: ${rows.length} messages, index built in ${result.indexBuildSec.toFixed(1)} s (${result.indexMiB.toFixed(0)} MiB); ` +
    `first page p50 ${result.firstPage.p50.toFixed(1)} ms, p99 ${result.firstPage.p99.toFixed(1)} ms; LIKE scan p50 ${scan.p50.toFixed(0)} ms`)
  return { result, pages }
}

type Row = { id: string, roomId: string, authorId: string, text: string, createdAt: number }

/** Seqs per room, in the order the rows are written. */
const withSeqs = (rows: Row[]) => {
  const seqs = new Map<string, number>()
  return rows.map((row) => {
    const seq = (seqs.get(row.roomId) ?? 0) + 1
    seqs.set(row.roomId, seq)
    return { ...row, seq }
  })
}

async function loadSqlite (url: string, rows: Row[]) {
  const db = new DatabaseSync(url.slice('sqlite:'.length))
  try {
    const insert = db.prepare('INSERT INTO messages (id, room_id, seq, author_id, text, client_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    const seqs = withSeqs(rows)
    for (let start = 0; start < seqs.length; start += 10_000) {
      db.exec('BEGIN')
      for (const row of seqs.slice(start, start + 10_000)) insert.run(row.id, row.roomId, row.seq, row.authorId, row.text, row.id, row.createdAt)
      db.exec('COMMIT')
    }
    db.exec('UPDATE rooms SET last_seq = (SELECT COALESCE(MAX(seq), 0) FROM messages WHERE room_id = rooms.id)')
    const started = performance.now()
    db.exec("INSERT INTO messages_fts (messages_fts) VALUES ('rebuild')")
    const indexBuildMs = performance.now() - started
    const indexBytes = db.prepare("SELECT SUM(pgsize) AS bytes FROM dbstat WHERE name LIKE 'messages_fts%'").get()!.bytes as number
    return { indexBuildMs, indexBytes }
  } finally {
    db.close()
  }
}

async function loadPostgres (url: string, rows: Row[]) {
  const sql = connectPostgres(url, 1)
  try {
    // postgres.js learns the array types with its first query: an array sent in that one goes as text.
    await sql`SELECT 1`
    const seqs = withSeqs(rows)
    for (let start = 0; start < seqs.length; start += 5000) {
      const batch = seqs.slice(start, start + 5000)
      const column = (pick: (row: typeof batch[number]) => string | number) => sql.array(batch.map((row) => String(pick(row))))
      await sql.unsafe(`INSERT INTO messages (id, room_id, seq, author_id, text, client_id, created_at)
        SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::bigint[])`,
      [column((r) => r.id), column((r) => r.roomId), column((r) => r.seq), column((r) => r.authorId), column((r) => r.text), column((r) => r.id), column((r) => r.createdAt)],
      { prepare: false })
    }
    await sql`UPDATE rooms SET last_seq = (SELECT COALESCE(MAX(seq), 0) FROM messages WHERE room_id = rooms.id)`
    const started = performance.now()
    await sql`REINDEX INDEX messages_search`
    const indexBuildMs = performance.now() - started
    await sql`ANALYZE messages`
    const [{ bytes }] = await sql`SELECT pg_relation_size('messages_search')::float8 AS bytes` as unknown as [{ bytes: number }]
    return { indexBuildMs, indexBytes: bytes }
  } finally {
    await sql.end({ timeout: 1 })
  }
}

/** The rare-word search without the index: every readable message's text scanned, newest first. */
async function likeScan (store: Store, url: string, userId: string, words: string[]) {
  const histogram = createHistogram()
  const query = `SELECT m.id FROM messages m JOIN rooms r ON r.id = m.room_id
    LEFT JOIN room_members rm ON rm.room_id = m.room_id AND rm.user_id = $1
    WHERE NOT m.deleted AND (r.visibility = 'public' OR rm.user_id IS NOT NULL) AND lower(m.text) LIKE $2
    ORDER BY m.created_at DESC LIMIT 21`
  if (store === 'sqlite') {
    const db = new DatabaseSync(url.slice('sqlite:'.length), { readOnly: true })
    const statement = db.prepare(query.replace('$1', '?').replace('$2', '?'))
    for (const word of words) {
      const started = performance.now()
      statement.all(userId, `%${word}%`)
      histogram.record(performance.now() - started)
    }
    db.close()
  } else {
    const sql = connectPostgres(url, 1)
    for (const word of words) {
      const started = performance.now()
      await sql.unsafe(query, [userId, `%${word}%`])
      histogram.record(performance.now() - started)
    }
    await sql.end({ timeout: 1 })
  }
  return latencyOf(histogram.toJSON())
}
