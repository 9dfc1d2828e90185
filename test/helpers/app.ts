import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildApp, type AppOverrides } from '../../server/app.ts'
import { loadConfig } from '../../server/config.ts'
import { createTestSchema, testStore } from './postgres.ts'

/**
 * A real server on 127.0.0.1 and a free port, with a database of its own: an SQLite file in a
 * temporary folder, or (HUBBUB_TEST_STORE=postgres) a fresh PostgreSQL schema; `env.DATABASE_URL` names
 * another. `close()` removes what it made.
 */
export async function startApp ({ env = {}, ...overrides }: AppOverrides & { env?: Record<string, string> } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'hubbub-test-'))
  // A test that names its own database (several nodes on one, or a PostgreSQL of its own) or store gets no schema of the shared one.
  const schema = testStore === 'postgres' && !overrides.storage && !env.DATABASE_URL ? await createTestSchema() : undefined
  const removeAll = async () => {
    rmSync(dir, { recursive: true, force: true })
    await schema?.drop()
  }
  try {
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: schema ? schema.url : `sqlite:${join(dir, 'hubbub.db')}`,
      DATABASE_POOL_SIZE: '4',
      SERVE_CLIENT: 'false',
      LOG_LEVEL: 'silent',
      ...env
    })
    const app = await buildApp(config, overrides)
    await app.listen({ port: 0, host: '127.0.0.1' })
    const address = app.server.address()
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
    return {
      app,
      url,
      dir,
      async close () {
        await app.close()
        await removeAll()
      }
    }
  } catch (error) {
    await removeAll()
    throw error
  }
}

export type TestApp = Awaited<ReturnType<typeof startApp>>
