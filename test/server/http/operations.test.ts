import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Namespaces } from '../../../shared/protocol.ts'
import { startApp, type TestApp } from '../../helpers/app.ts'
import { api, assertHttpError, registerUser } from '../../helpers/http.ts'
import { testStore } from '../../helpers/postgres.ts'
import { connect } from '../../helpers/sockets.ts'

/** The value of the one sample of `metric` with exactly these labels, from Prometheus text. */
function sample (text: string, metric: string, labels: string) {
  const prefix = `${metric}{${labels}} `
  const line = text.split('\n').find((l) => l.startsWith(prefix))
  assert.ok(line, `expected a sample ${prefix.trim()}, got:\n${text.split('\n').filter((l) => l.startsWith(metric)).join('\n')}`)
  return Number(line.slice(prefix.length))
}

const connectedSockets = async (t: TestApp, namespace: string) =>
  sample(String((await api(t.url, 'GET', '/metrics')).body), 'hubbub_connected_sockets', `namespace="${namespace}",node="${t.app.config.nodeName}"`)

describe('operations endpoints', () => {
  let t: TestApp
  before(async () => { t = await startApp() })
  after(() => t.close())

  describe('GET /healthz', () => {
    it('answers 200 while the process is up', async () => {
      const res = await api(t.url, 'GET', '/healthz')
      assert.equal(res.status, 200)
      assert.deepEqual(res.body, { status: 'ok' })
    })
  })

  describe('GET /readyz', () => {
    it('answers 200 with the storage kind, the node\'s name and whether it runs on Redis', async () => {
      const res = await api(t.url, 'GET', '/readyz')
      assert.equal(res.status, 200, JSON.stringify(res.body))
      assert.deepEqual(res.body, { status: 'ready', storage: testStore, node: t.app.config.nodeName, redis: false })
    })
  })

  describe('GET /metrics', () => {
    it('answers Prometheus text with the app\'s counters and the process metrics', async () => {
      const res = await api(t.url, 'GET', '/metrics')
      assert.equal(res.status, 200)
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/)
      const text = String(res.body)
      for (const line of [
        '# TYPE hubbub_connected_sockets gauge',
        '# TYPE hubbub_events_handled_total counter',
        '# TYPE hubbub_events_failed_total counter',
        '# TYPE hubbub_ack_latency_seconds histogram',
        '# TYPE hubbub_ticker_push_seconds histogram',
        '# TYPE hubbub_market_leader gauge',
        '# TYPE process_cpu_seconds_total counter'
      ]) assert.ok(text.includes(line), `expected "${line}" in /metrics`)
    })

    it('reports connected sockets per namespace, following connects and disconnects', async () => {
      for (const namespace of Object.values(Namespaces)) {
        assert.equal(await connectedSockets(t, namespace), 0, `${namespace} before connecting`)
      }
      const { token } = await registerUser(t.url)
      const chat = await connect(t.url, Namespaces.chat, { token })
      const tickers = [await connect(t.url, Namespaces.ticker), await connect(t.url, Namespaces.ticker, { token })]
      try {
        assert.equal(await connectedSockets(t, Namespaces.chat), 1)
        assert.equal(await connectedSockets(t, Namespaces.ticker), 2)
        assert.equal(await connectedSockets(t, Namespaces.notifications), 0)

        const gone = new Promise((resolve) => t.app.io.of(Namespaces.chat).sockets.get(chat.id!)!.once('disconnect', resolve))
        chat.close()
        await gone
        assert.equal(await connectedSockets(t, Namespaces.chat), 0)
      } finally {
        chat.close()
        for (const socket of tickers) socket.close()
      }
    })
  })
})

describe('GET /readyz when storage is down', () => {
  it('answers 503 unavailable naming the store, without internals, while /healthz stays 200', async () => {
    const t = await startApp()
    try {
      await t.app.storage.close()
      const error = assertHttpError(await api(t.url, 'GET', '/readyz'), 503, 'unavailable')
      assert.match(error.message, testStore === 'postgres' ? /\(PostgreSQL\)/ : /\(SQLite\)/)
      assert.doesNotMatch(error.message, /not open|ended|ECONN/i, `message: ${error.message}`)
      assert.equal((await api(t.url, 'GET', '/healthz')).status, 200)
    } finally {
      await t.close()
    }
  })
})
