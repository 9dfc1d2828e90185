import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildApp, type AppOverrides } from '../../server/app.ts'
import { loadConfig } from '../../server/config.ts'

/** A real server on 127.0.0.1 and a free port, with its own SQLite file; `close()` removes both. */
export async function startApp ({ env = {}, ...overrides }: AppOverrides & { env?: Record<string, string> } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'hubbub-test-'))
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: `sqlite:${join(dir, 'hubbub.db')}`,
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
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

export type TestApp = Awaited<ReturnType<typeof startApp>>
