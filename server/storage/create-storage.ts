import type { Config } from '../config.ts'
import { StartupError } from '../errors.ts'
import { describeDatabase, describeFailure } from './describe-database.ts'
import { createPostgresStorage } from './postgres/postgres-storage.ts'
import { createSqliteStorage } from './sqlite/sqlite-storage.ts'
import type { Storage } from './types.ts'

/**
 * The one place the storage implementation is chosen from config: `sqlite:<file>` or
 * `postgres://…` (`postgresql://` too). A database that cannot be opened is a StartupError that
 * says which one (never its password) and why.
 */
export async function createStorage (config: Pick<Config, 'databaseUrl' | 'databasePoolSize'>): Promise<Storage> {
  const url = config.databaseUrl
  try {
    return url.startsWith('sqlite:')
      ? createSqliteStorage(url.slice('sqlite:'.length))
      : await createPostgresStorage(url, { poolSize: config.databasePoolSize })
  } catch (error) {
    throw new StartupError(`${describeDatabase(url)} could not be opened: ${describeFailure(error)}`, { cause: error })
  }
}
