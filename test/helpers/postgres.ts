import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { describeDatabase, describeFailure } from '../../server/storage/describe-database.ts'

/** The PostgreSQL the tests may use (a database of its own: each test makes and drops a schema in it). */
export const postgresTestUrl = process.env.DATABASE_URL_TEST || 'postgres://postgres@127.0.0.1:5432/test'

/** Which store the apps of the integration tests run on: `HUBBUB_TEST_STORE=postgres` for PostgreSQL (at DATABASE_URL_TEST). */
export const testStore = process.env.HUBBUB_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite'

/** CI and HUBBUB_REQUIRE_SERVICES turn a missing server from a skip into a failure (test/README.md rule 6). */
export const servicesRequired = Boolean(process.env.CI || process.env.HUBBUB_REQUIRE_SERVICES)

const admin = (url = postgresTestUrl) => postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} })

/**
 * False when PostgreSQL answers; otherwise why not, to skip with (the reason is printed by the
 * runner). Where services are required, a server that does not answer throws instead.
 */
export async function postgresSkipReason (): Promise<string | false> {
  const sql = admin()
  try {
    await sql`SELECT 1`
    return false
  } catch (error) {
    const why = `${describeDatabase(postgresTestUrl)} does not answer (${describeFailure(error)}); set DATABASE_URL_TEST`
    if (servicesRequired) throw new Error(`${why}. CI and HUBBUB_REQUIRE_SERVICES need PostgreSQL.`)
    return why
  } finally {
    await sql.end({ timeout: 0 })
  }
}

/** `url` with its `search_path` set to `schema`. */
export const withSearchPath = (url: string, schema: string) =>
  `${url}${url.includes('?') ? '&' : '?'}search_path=${encodeURIComponent(schema)}`

export interface TestSchema {
  name: string
  /** The test database's URL, with this schema as its search_path. */
  url: string
  /** Drops the schema with everything in it. */
  drop: () => Promise<void>
}

/** A new, empty schema with a random name, so a test sees no other test's rows. */
export async function createTestSchema (): Promise<TestSchema> {
  const name = `test_${randomBytes(6).toString('hex')}`
  const sql = admin()
  try {
    await sql`CREATE SCHEMA ${sql(name)}`
  } finally {
    await sql.end({ timeout: 0 })
  }
  return {
    name,
    url: withSearchPath(postgresTestUrl, name),
    async drop () {
      const dropper = admin()
      try {
        await dropper`DROP SCHEMA IF EXISTS ${dropper(name)} CASCADE`
      } finally {
        await dropper.end({ timeout: 0 })
      }
    }
  }
}
