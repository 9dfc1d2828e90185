import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import postgres from 'postgres'
import { describeDatabase, describeFailure } from '../../server/storage/describe-database.ts'
import { processCpuMs } from './services.ts'

/** The stores the app runs on, as the report names them. */
export const storeLabels = { sqlite: 'SQLite', postgres: 'PostgreSQL' } as const
export type Store = keyof typeof storeLabels

/**
 * The PostgreSQL the bench may use: a schema of its own is made in it for each run and dropped
 * after. `BENCH_POSTGRES_URL`, else the tests' `DATABASE_URL_TEST` (CI sets it), else the local
 * default.
 */
export const benchPostgresUrl = process.env.BENCH_POSTGRES_URL || process.env.DATABASE_URL_TEST || 'postgres://postgres@127.0.0.1:5432/test'

/** As in the tests (test/README.md rule 6): where services are required, a PostgreSQL that does not answer fails the run instead of being skipped. */
export const servicesRequired = Boolean(process.env.CI || process.env.HUBBUB_REQUIRE_SERVICES)

/** Some rooms' messages as the store holds them, read straight from it (not through the app). */
export interface StoredRooms {
  /** Message id -> its room and seq. */
  messages: Map<string, { roomId: string, seq: number }>
  /** Each room's `last_seq`. */
  lastSeq: Map<string, number>
}

/** A database for one Hubbub server under test (or several in turn, across a restart). */
export interface BenchDatabase {
  store: Store
  /** The server's DATABASE_URL. */
  url: string
  /** What a COMMIT promises on this store, as configured (for the report). */
  durability: string
  /** Reads back the given rooms, as a restarted server would find them. */
  read: (roomIds: string[]) => Promise<StoredRooms>
  /**
   * Starts counting the CPU time of the database's own processes serving the server under test;
   * the function returned gives the milliseconds since, or null when they cannot be seen (a
   * PostgreSQL on another machine). Null for SQLite: its work is in the server's own CPU.
   */
  cpuWindow: () => Promise<() => Promise<number | null>>
  /** Deletes the database (the temp file; the schema and all in it). */
  remove: () => Promise<void>
}

/** A temp SQLite file, as the app opens it: WAL, `synchronous = NORMAL` (server/storage/sqlite/open-sqlite.ts). */
export function createSqliteDatabase (): BenchDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'hubbub-bench-'))
  const file = join(dir, 'hubbub.db')
  return {
    store: 'sqlite',
    url: `sqlite:${file}`,
    durability: 'WAL, synchronous=NORMAL: a COMMIT is in the WAL file (survives the process, not a power cut)',
    async read (roomIds) {
      // Opened read-write, as a restarted server would: SQLite recovers the WAL left by a killed process.
      const db = new DatabaseSync(file)
      try {
        const messages = new Map<string, { roomId: string, seq: number }>()
        const lastSeq = new Map<string, number>()
        const inRoom = db.prepare('SELECT id, seq FROM messages WHERE room_id = ?')
        const room = db.prepare('SELECT last_seq FROM rooms WHERE id = ?')
        for (const roomId of roomIds) {
          for (const row of inRoom.all(roomId)) messages.set(row.id as string, { roomId, seq: row.seq as number })
          lastSeq.set(roomId, (room.get(roomId)?.last_seq as number | undefined) ?? 0)
        }
        return { messages, lastSeq }
      } finally {
        db.close()
      }
    },
    cpuWindow: async () => async () => null,
    async remove () {
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

const connect = (url: string) => postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} })

/**
 * A new, empty schema with a random name in the database at `baseUrl`; the server gets that
 * URL with its `search_path` set to the schema (as the tests do). Throws, saying which server
 * and why, when PostgreSQL does not answer.
 */
export async function createPostgresDatabase (baseUrl = benchPostgresUrl): Promise<BenchDatabase> {
  const schema = `bench_${randomBytes(6).toString('hex')}`
  const admin = connect(baseUrl)
  let settings: { version: string, fsync: string, synchronous_commit: string }
  try {
    ;[settings] = await admin`SELECT current_setting('server_version') AS version, current_setting('fsync') AS fsync,
      current_setting('synchronous_commit') AS synchronous_commit` as unknown as [typeof settings]
    await admin`CREATE SCHEMA ${admin(schema)}`
  } catch (error) {
    throw new Error(`${describeDatabase(baseUrl)} does not answer (${describeFailure(error)}); set BENCH_POSTGRES_URL`, { cause: error })
  } finally {
    await admin.end({ timeout: 0 })
  }
  // The server's connections carry the schema's name, so that its backends can be told from others'.
  const url = `${baseUrl}${baseUrl.includes('?') ? '&' : '?'}search_path=${encodeURIComponent(schema)}&application_name=hubbub-${schema}`
  const backendsCpu = async () => {
    const sql = connect(baseUrl)
    try {
      const rows = await sql`SELECT pid FROM pg_stat_activity WHERE application_name = ${`hubbub-${schema}`}`
      return new Map(rows.map((row) => [row.pid as number, processCpuMs(row.pid as number)]))
    } finally {
      await sql.end({ timeout: 0 })
    }
  }
  return {
    store: 'postgres',
    url,
    durability: `PostgreSQL ${settings.version}, fsync=${settings.fsync}, synchronous_commit=${settings.synchronous_commit}` +
      (settings.fsync === 'on' && settings.synchronous_commit !== 'off' ? ': a COMMIT is flushed to disk' : ': a COMMIT may not be on disk yet'),
    async read (roomIds) {
      const sql = connect(url)
      try {
        const [rows, rooms] = await Promise.all([
          sql`SELECT id, room_id, seq::float8 AS seq FROM messages WHERE room_id IN ${sql(roomIds)}`,
          sql`SELECT id, last_seq::float8 AS last_seq FROM rooms WHERE id IN ${sql(roomIds)}`
        ])
        return {
          messages: new Map(rows.map((row) => [row.id as string, { roomId: row.room_id as string, seq: row.seq as number }])),
          lastSeq: new Map(roomIds.map((roomId) => [roomId, (rooms.find((row) => row.id === roomId)?.last_seq as number | undefined) ?? 0]))
        }
      } finally {
        await sql.end({ timeout: 0 })
      }
    },
    async cpuWindow () {
      const before = await backendsCpu()
      return async () => {
        const after = [...(await backendsCpu())]
        // A backend opened during the window counts from its start.
        if (after.length === 0 || after.some(([, ms]) => ms === null)) return null
        return after.reduce((sum, [pid, ms]) => sum + ms! - (before.get(pid) ?? 0), 0)
      }
    },
    async remove () {
      const sql = connect(baseUrl)
      try {
        await sql`DROP SCHEMA IF EXISTS ${sql(schema)} CASCADE`
      } finally {
        await sql.end({ timeout: 0 })
      }
    }
  }
}

const openBenchDatabase: Record<Store, () => BenchDatabase | Promise<BenchDatabase>> = {
  sqlite: createSqliteDatabase,
  postgres: createPostgresDatabase
}

/** The figures of a scenario that runs on each store in turn. */
export interface PerStore<T> {
  stores: Partial<Record<Store, T>>
  /** Stores that did not run, and why (PostgreSQL not answering, where it is not required). */
  skipped: Partial<Record<Store, string>>
}

/**
 * Runs `run` on a fresh database of each store in turn, SQLite then PostgreSQL, and removes it
 * after; a store that does not answer is skipped, saying why (`warn`), or fails the scenario
 * where services are required.
 */
export async function onEachStore<T> (ctx: { aborted: boolean }, result: PerStore<T>, warn: (message: string) => void,
  run: (database: BenchDatabase) => Promise<T>) {
  for (const store of ['sqlite', 'postgres'] as const) {
    if (ctx.aborted) break
    let database: BenchDatabase
    try {
      database = await openBenchDatabase[store]()
    } catch (error) {
      if (servicesRequired) throw new Error(`${(error as Error).message}. CI and HUBBUB_REQUIRE_SERVICES need it.`, { cause: error })
      result.skipped[store] = (error as Error).message
      warn(`${storeLabels[store]} skipped: ${result.skipped[store]}`)
      continue
    }
    try {
      result.stores[store] = await run(database)
    } finally {
      await database.remove()
    }
  }
}
