import { existsSync } from 'node:fs'
import type { DatabaseSync } from 'node:sqlite'
import { describeDatabase } from './describe-database.ts'
import { connectPostgres, migratePostgres, type Sql, type Transaction } from './postgres/open-postgres.ts'
import { openSqlite } from './sqlite/open-sqlite.ts'

/**
 * Every table with data, parents before children (foreign keys).
 * `schema_migrations` is not copied: each store records its own migrations.
 */
const TABLES = ['users', 'avatars', 'sessions', 'rooms', 'room_members', 'messages', 'message_reactions', 'thread_follows', 'images', 'notifications', 'notification_room_prefs', 'notification_settings', 'alerts', 'watchlists', 'watchlist_revs'] as const
export type TableName = typeof TABLES[number]

/** Rows per INSERT: well below PostgreSQL's 65,535 parameters for the widest table. */
const BATCH = 1000
/** Images (and avatars) per INSERT: each may hold 10 MiB, and travels as hex in the page's JSON. */
const IMAGE_BATCH = 4
/** Rooms the migrations create: a new, empty database has them (and so does the source). */
const SEEDED_ROOMS = ['general', 'random', 'markets']

export interface CopyProgress { table: TableName, copied: number, total: number }
export interface TableCount { table: TableName, source: number, target: number }

export class CopyError extends Error {}

interface Column { name: string, type: string, identity: boolean }

/** The target's columns of a table, with how each is read from SQLite; generated ones (search words) PostgreSQL makes itself. */
async function targetColumns (sql: Sql | Transaction, table: string): Promise<Column[]> {
  const rows = await sql`SELECT column_name, data_type, is_identity FROM information_schema.columns
    WHERE table_schema = current_schema() AND table_name = ${table} AND is_generated = 'NEVER' ORDER BY ordinal_position`
  return rows.map((row) => ({ name: row.column_name as string, type: row.data_type as string, identity: row.is_identity === 'YES' }))
}

/**
 * SQLite's expression for each target column: the column itself, or `rowid` for an insertion
 * order that PostgreSQL keeps in an identity column and SQLite in its rowid.
 */
function sourceSelect (db: DatabaseSync, table: string, columns: Column[]) {
  const present = new Set(db.prepare(`PRAGMA table_info(${table})`).all().map((row) => row.name as string))
  return columns.map(({ name, identity }) => {
    if (present.has(name)) return `"${name}"`
    if (identity) return `rowid AS "${name}"`
    throw new CopyError(`The SQLite table ${table} has no column ${name}: migrate both databases to the same version first.`)
  }).join(', ')
}

/**
 * Rows as PostgreSQL takes them: SQLite's 0 and 1 become booleans, and BLOBs bytea's hex text
 * (`\\x…`), which JSON can carry (the columns named).
 */
const convert = (rows: Record<string, any>[], booleans: string[], blobs: string[]) => {
  if (booleans.length === 0 && blobs.length === 0) return rows
  return rows.map((row) => {
    const copy = { ...row }
    for (const name of booleans) if (copy[name] !== null) copy[name] = copy[name] === 1
    for (const name of blobs) if (copy[name] instanceof Uint8Array) copy[name] = `\\x${Buffer.from(copy[name]).toString('hex')}`
    return copy
  })
}

/** Rows the target holds beyond what a new database has (its seeded rooms). */
async function existingRows (sql: Sql | Transaction) {
  const counts = await Promise.all(TABLES.map(async (name) => {
    const [row] = name === 'rooms'
      ? await sql`SELECT count(*)::int AS n FROM rooms WHERE id <> ALL(${SEEDED_ROOMS})`
      : await sql`SELECT count(*)::int AS n FROM ${sql(name)}`
    return row!.n as number
  }))
  return counts.reduce((sum, n) => sum + n, 0)
}

/**
 * Copies a SQLite database into PostgreSQL, everything: users with their password hashes,
 * avatars, sessions, rooms, members, messages with their seqs, threads, images, read markers, notifications with their preferences, alerts and watchlists.
 * The target is migrated first and must hold no data unless `replace` is given, which empties
 * it. One transaction: a copy that fails leaves the target as it was. Returns the row counts of
 * both sides, table by table (the caller compares them).
 */
export async function copyDatabase ({ from, to, replace = false, onProgress }: {
  from: string
  to: string
  replace?: boolean
  onProgress?: (progress: CopyProgress) => void
}): Promise<TableCount[]> {
  if (!from.startsWith('sqlite:')) throw new CopyError(`--from must be a sqlite:<file> URL, not ${describeDatabase(from)}.`)
  if (!/^postgres(ql)?:\/\//.test(to)) throw new CopyError(`--to must be a postgres:// URL, not ${describeDatabase(to)}.`)
  const file = from.slice('sqlite:'.length)
  if (!existsSync(file)) throw new CopyError(`There is no SQLite file at ${file}.`)

  // Opening migrates the source too, so both sides have the same tables.
  const db = openSqlite(file)
  const sql = connectPostgres(to, 2)
  try {
    await migratePostgres(sql)
    return await sql.begin(async (tx) => {
      // No writer may slip rows in between the check and the copy.
      await tx`LOCK TABLE ${tx([...TABLES])} IN EXCLUSIVE MODE`
      const existing = replace ? 0 : await existingRows(tx)
      if (existing > 0) {
        throw new CopyError(`${describeDatabase(to)} already holds ${existing} rows. Give --replace to empty it first.`)
      }
      // Empty, seeded rooms included: the source has its own version of them.
      await tx`TRUNCATE ${tx([...TABLES])} CASCADE`
      const counts: TableCount[] = []
      for (const name of TABLES) {
        const columns = await targetColumns(tx, name)
        const total = db.prepare(`SELECT count(*) AS n FROM ${name}`).get()!.n as number
        // Pages by rowid (no OFFSET, which would read the table again for every page).
        const read = db.prepare(`SELECT rowid AS "__rowid", ${sourceSelect(db, name, columns)} FROM ${name} WHERE rowid > ? ORDER BY rowid LIMIT ${name === 'images' || name === 'avatars' ? IMAGE_BATCH : BATCH}`)
        const names = columns.map((column) => column.name)
        const booleans = columns.filter((column) => column.type === 'boolean').map((column) => column.name)
        const blobs = columns.filter((column) => column.type === 'bytea').map((column) => column.name)
        const overriding = columns.some((column) => column.identity) ? tx`OVERRIDING SYSTEM VALUE` : tx``
        let copied = 0
        let after = 0
        onProgress?.({ table: name, copied, total })
        for (;;) {
          const page = read.all(after) as Record<string, any>[]
          if (page.length === 0) break
          after = page.at(-1)!.__rowid as number
          // Rows travel as one JSON parameter, typed by the table's own row type.
          await tx`INSERT INTO ${tx(name)} (${tx(names)}) ${overriding}
            SELECT ${tx(names)} FROM jsonb_populate_recordset(NULL::${tx(name)}, ${tx.json(convert(page, booleans, blobs) as never)})`
          copied += page.length
          onProgress?.({ table: name, copied, total })
        }
        for (const column of columns.filter((c) => c.identity)) {
          // Rows inserted later must number after the copied ones.
          await tx`SELECT setval(pg_get_serial_sequence(${name}, ${column.name}), coalesce((SELECT max(${tx(column.name)}) FROM ${tx(name)}), 0) + 1, false)`
        }
        const [row] = await tx`SELECT count(*)::int AS n FROM ${tx(name)}`
        counts.push({ table: name, source: total, target: row!.n as number })
      }
      return counts
    })
  } finally {
    db.close()
    await sql.end({ timeout: 5 })
  }
}
