import type { Config } from '../config.ts'
import { createSqliteStorage } from './sqlite/sqlite-storage.ts'
import type { Storage } from './types.ts'

/** The one place the storage implementation is chosen from config. */
export async function createStorage (config: Pick<Config, 'databaseUrl'>): Promise<Storage> {
  return createSqliteStorage(config.databaseUrl.slice('sqlite:'.length))
}
