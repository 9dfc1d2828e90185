import type { Storage } from '../types.ts'
import { createPostgresAlertStore } from './alerts.ts'
import { createPostgresChatStore } from './chat.ts'
import { createPostgresImageStore } from './images.ts'
import { createPostgresNotificationStore } from './notifications.ts'
import { connectPostgres, migratePostgres } from './open-postgres.ts'
import { createPostgresSessionStore } from './sessions.ts'
import { mapUnreachable } from './unavailable.ts'
import { createPostgresUserStore } from './users.ts'
import { createPostgresWatchlistStore } from './watchlists.ts'

const PING_TIMEOUT_MS = 2000

/**
 * The PostgreSQL store: a pool of `poolSize` connections, migrated before it resolves (so a
 * database that does not answer fails here, at start). `close()` ends the pool.
 */
export async function createPostgresStorage (url: string, { poolSize = 10 }: { poolSize?: number } = {}): Promise<Storage> {
  const sql = connectPostgres(url, poolSize)
  try {
    await migratePostgres(sql)
  } catch (error) {
    await sql.end({ timeout: 0 })
    throw error
  }
  let closed: Promise<void> | undefined
  return {
    kind: 'postgres',
    users: mapUnreachable(createPostgresUserStore(sql)),
    sessions: mapUnreachable(createPostgresSessionStore(sql)),
    chat: mapUnreachable(createPostgresChatStore(sql)),
    notifications: mapUnreachable(createPostgresNotificationStore(sql)),
    alerts: mapUnreachable(createPostgresAlertStore(sql)),
    images: mapUnreachable(createPostgresImageStore(sql)),
    watchlists: mapUnreachable(createPostgresWatchlistStore(sql)),
    async ping () {
      // A database that accepts connections but never answers must not hold /readyz open.
      const query = sql`SELECT 1`
      let timer: NodeJS.Timeout | undefined
      try {
        await Promise.race([query, new Promise((_resolve, reject) => {
          timer = setTimeout(() => {
            query.cancel()
            reject(new Error(`PostgreSQL did not answer within ${PING_TIMEOUT_MS} ms`))
          }, PING_TIMEOUT_MS)
        })])
      } finally {
        clearTimeout(timer)
      }
    },
    close () {
      closed ??= sql.end({ timeout: 5 })
      return closed
    }
  }
}
