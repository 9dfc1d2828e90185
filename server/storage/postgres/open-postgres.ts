import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import postgres from 'postgres'

const migrationsDir = join(import.meta.dirname, '..', 'migrations', 'postgres')

/** The first key of every advisory lock Hubbub takes; the second says what is locked. */
export const LOCK_CLASS = 0x4855_4242 // 'HUBB'

const options = (poolSize: number) => ({
  max: poolSize,
  // Epoch milliseconds, seqs and COUNT(*) are int8: numbers, as on SQLite (all far below 2^53).
  types: {
    bigint: { to: 20, from: [20], serialize: (value: number) => String(value), parse: (value: string) => Number(value) }
  },
  // A database that does not answer fails the start (or the query) within seconds, well inside
  // a client's 10 s ack timeout, not after the driver's default 30.
  connect_timeout: 5,
  // After a failed connection the driver waits before trying again, and waiting queries with it:
  // by default longer after each failure, up to 20 s (in seconds). With PostgreSQL stopped, sends
  // then went unanswered past the client's 10 s ack timeout instead of being refused `unavailable`,
  // and the pool came back seconds after the server did (test/reliability/postgres-outage.test.ts).
  // A refused attempt fails one waiting query; at most 100 ms between attempts answers an outage's
  // queries in milliseconds and still spares a server that is starting up.
  backoff: (retries: number) => Math.min(0.02 * retries, 0.1),
  // Notices ("relation already exists, skipping") are not ours to print.
  onnotice: () => {},
  // Plans of prepared statements are cached as PostgreSQL decides. Planning every query again
  // (plan_cache_mode=force_custom_plan for the whole pool) cost more server CPU than some queries
  // themselves; only the group commit's statement, whose arrays change size, is planned for its
  // parameters each time (chat.ts).
  connection: { application_name: 'hubbub' }
})

type Types = { bigint: number }
export type Sql = postgres.Sql<Types>
export type Transaction = postgres.TransactionSql<Types>

/**
 * A pool of at most `poolSize` connections to `url` (its query may set `search_path`, which the
 * tests use for a schema of their own). Connections open on first use.
 */
export const connectPostgres = (url: string, poolSize: number): Sql => postgres(url, options(poolSize))

/**
 * Applies the numbered `.sql` files not yet recorded in `schema_migrations`, all in one
 * transaction that first takes an advisory lock (one per schema): nodes that start at the same
 * moment wait for the first, then find everything applied. Returns the names it applied.
 */
export async function migratePostgres (sql: Sql, now = Date.now): Promise<string[]> {
  const files = readdirSync(migrationsDir).filter((name) => name.endsWith('.sql')).sort()
  return sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${LOCK_CLASS}::int, hashtext(coalesce(current_schema(), '')))`
    await tx`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`
    const applied = new Set((await tx`SELECT version FROM schema_migrations`).map((row) => row.version as number))
    const applying = files.filter((name) => !applied.has(Number.parseInt(name, 10)))
    for (const name of applying) {
      await tx.unsafe(readFileSync(join(migrationsDir, name), 'utf8')).simple()
      await tx`INSERT INTO schema_migrations (version, name, applied_at) VALUES (${Number.parseInt(name, 10)}, ${name}, ${now()})`
    }
    return applying
  })
}
