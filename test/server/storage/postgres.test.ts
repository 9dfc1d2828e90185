import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { isAppError } from '../../../server/errors.ts'
import { createStorage } from '../../../server/storage/create-storage.ts'
import { connectPostgres } from '../../../server/storage/postgres/open-postgres.ts'
import { isUnreachable } from '../../../server/storage/postgres/unavailable.ts'
import type { Storage } from '../../../server/storage/types.ts'
import { Namespaces } from '../../../shared/protocol.ts'
import { startApp, type TestApp } from '../../helpers/app.ts'
import { api, assertHttpError, registerUser } from '../../helpers/http.ts'
import { createTestSchema, postgresSkipReason, postgresTestUrl, withSearchPath, type TestSchema } from '../../helpers/postgres.ts'
import { connect, send } from '../../helpers/sockets.ts'
import { startTcpProxy } from '../../helpers/tcp-proxy.ts'
import { runWorkers } from '../../helpers/workers.ts'

/** What only PostgreSQL has: its migrations, its column types, and a database that goes away. */
const skip = await postgresSkipReason()
const migrationFiles = readdirSync(join(import.meta.dirname, '..', '..', '..', 'server', 'storage', 'migrations', 'postgres'))
  .filter((name) => name.endsWith('.sql')).sort()

describe('PostgreSQL storage', { skip }, () => {
  describe('migrations', () => {
    let schema: TestSchema
    before(async () => { schema = await createTestSchema() })
    after(async () => { await schema.drop() })

    it('applies each numbered migration exactly once when three processes start at the same moment', async () => {
      const results = await runWorkers<{ applied: string[] }>(schema.url, [1, 2, 3].map(() => ({ task: 'migrate' })))
      const applied = results.flatMap((r) => r.applied).sort()
      assert.deepEqual(applied, migrationFiles, `applied by the three: ${JSON.stringify(results)}`)
      const sql = connectPostgres(schema.url, 1)
      try {
        const recorded = await sql`SELECT version, name FROM schema_migrations ORDER BY version`
        assert.deepEqual(recorded.map((row) => ({ ...row })), migrationFiles.map((name) => ({ version: Number.parseInt(name, 10), name })))
        assert.deepEqual((await sql`SELECT id FROM rooms ORDER BY id`).map((row) => row.id), ['general', 'markets', 'random'], 'seeded once')
      } finally {
        await sql.end()
      }
    })

    it('stores times and seqs as BIGINT and flags as booleans, and reads them back as numbers', async () => {
      const sql = connectPostgres(schema.url, 1)
      try {
        const columns = await sql`SELECT table_name, column_name, data_type FROM information_schema.columns
          WHERE table_schema = ${schema.name} AND (column_name LIKE '%\\_at' OR column_name IN ('seq', 'last_seq', 'last_read_seq', 'deleted', 'price'))`
        const types = Object.fromEntries(columns.map((c) => [`${c.table_name}.${c.column_name}`, c.data_type]))
        for (const [column, type] of Object.entries(types)) {
          const expected = column === 'messages.deleted' ? 'boolean' : column === 'alerts.price' ? 'double precision' : 'bigint'
          assert.equal(type, expected, `${column}: ${JSON.stringify(types)}`)
        }
        assert.ok(Object.keys(types).length >= 15, `columns: ${JSON.stringify(types)}`)
        const [row] = await sql`SELECT 9007199254740991::bigint AS big, COUNT(*) AS n FROM rooms`
        assert.deepEqual({ ...row }, { big: Number.MAX_SAFE_INTEGER, n: 3 })
      } finally {
        await sql.end()
      }
    })
  })

  describe('when the database stops answering', () => {
    let schema: TestSchema
    let proxy: Awaited<ReturnType<typeof startTcpProxy>>
    let url: string
    before(async () => {
      schema = await createTestSchema()
      const target = new URL(postgresTestUrl)
      proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) })
      target.host = `127.0.0.1:${proxy.port}`
      url = withSearchPath(target.href, schema.name)
    })
    after(async () => {
      await proxy.close()
      await schema.drop()
    })

    it('answers `unavailable` from every store while it is away, and works again when it is back', async () => {
      let storage: Storage | undefined
      try {
        storage = await createStorage({ databaseUrl: url, databasePoolSize: 2 })
        const alice = await storage.users.create({ username: 'alice', passwordHash: 'h', now: 1 })
        await proxy.cut()
        const isUnavailable = (error: unknown) => isAppError(error) && error.code === 'unavailable'
        await assert.rejects(storage.users.findById(alice.id), isUnavailable)
        await assert.rejects(storage.chat.appendMessage({ roomId: 'general', authorId: alice.id, text: 'hi', clientId: 'c1', now: 2 }), isUnavailable)
        await assert.rejects(storage.notifications.unread(alice.id), isUnavailable)
        await assert.rejects(storage.alerts.allPending(), isUnavailable)
        await assert.rejects(storage.sessions.find('t', 0), isUnavailable)
        await assert.rejects(storage.ping())
        await proxy.restore()
        await storage.ping()
        const sent = await storage.chat.appendMessage({ roomId: 'general', authorId: alice.id, text: 'hi', clientId: 'c1', now: 3 })
        assert.deepEqual([sent.created, sent.message.seq], [true, 1], 'nothing was stored while it was away')
      } finally {
        await proxy.restore().catch(() => {})
        await storage?.close()
      }
    })

    it('fails ping, and so /readyz, when the database accepts connections but never answers', async () => {
      let storage: Storage | undefined
      try {
        storage = await createStorage({ databaseUrl: url, databasePoolSize: 1 })
        await proxy.stall()
        await assert.rejects(storage.ping(), /did not answer within/)
        await proxy.restore()
        // The connection that hung is dead: the first query may fail on it, the next reconnects.
        await storage.ping().catch(() => storage!.ping())
      } finally {
        await proxy.restore()
        await storage?.close()
      }
    })

    it('fails a transaction whose connection is cut as unreachable, and serves the next query at once', async () => {
      // The driver as released threw from a timer here (ending the process) and left the pool's
      // one slot unable to connect again: server/storage/postgres/patch-postgres-driver.ts.
      const sql = connectPostgres(url, 1)
      try {
        const cut = await sql.begin(async (tx) => {
          const sleeping = tx`SELECT pg_sleep(1)`.execute()
          await proxy.cut()
          await sleeping
        }).then(() => 'committed', (error: unknown) => error)
        assert.ok(isUnreachable(cut), `expected a connection error, got ${String(cut)}`)
        await proxy.restore()
        assert.deepEqual((await sql`SELECT 1 AS one`).map((row) => ({ ...row })), [{ one: 1 }])
      } finally {
        await proxy.restore()
        await sql.end({ timeout: 0 })
      }
    })

    it('makes /readyz answer 503 naming PostgreSQL and commands answer `unavailable`, then recovers', async () => {
      let t: TestApp | undefined
      let socket: Awaited<ReturnType<typeof connect>> | undefined
      try {
        t = await startApp({ env: { DATABASE_URL: url, DATABASE_POOL_SIZE: '2' } })
        const { token } = await registerUser(t.url)
        socket = await connect(t.url, Namespaces.chat, { token })
        await proxy.cut()
        const ready = assertHttpError(await api(t.url, 'GET', '/readyz'), 503, 'unavailable')
        assert.match(ready.message, /PostgreSQL/)
        assertHttpError(await api(t.url, 'POST', '/api/auth/register', { body: { username: 'newcomer', password: 'correct horse battery' } }), 503, 'unavailable')
        const refused = await send(socket, 'chat:send', { roomId: 'general', text: 'lost?', clientId: 'client-away' })
        assert.deepEqual(refused.ok ? refused : refused.error.code, 'unavailable', `got ${JSON.stringify(refused)}`)
        await proxy.restore()
        assert.equal((await api(t.url, 'GET', '/readyz')).status, 200)
        const sent = await send(socket, 'chat:send', { roomId: 'general', text: 'back', clientId: 'client-back' })
        assert.ok(sent.ok, `got ${JSON.stringify(sent)}`)
      } finally {
        socket?.close()
        await proxy.restore().catch(() => {})
        await t?.close()
      }
    })
  })
})
