import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startApp, type TestApp } from '../../helpers/app.ts'
import { api, assertHttpError } from '../../helpers/http.ts'

const scrape = (t: TestApp, headers: Record<string, string> = {}) => api(t.url, 'GET', '/metrics', { headers })
const assertMetrics = (res: Awaited<ReturnType<typeof scrape>>, why: string) => {
  assert.equal(res.status, 200, `${why}: ${res.status} ${JSON.stringify(res.body)}`)
  assert.match(String(res.body), /# TYPE hubbub_connected_sockets gauge/, why)
}

describe('GET /metrics without METRICS_TOKEN', () => {
  let t: TestApp
  before(async () => { t = await startApp({ env: { TRUST_PROXY: 'true' } }) })
  after(() => t.close())

  it('answers a direct request from this machine', async () => {
    assertMetrics(await scrape(t), 'a direct loopback scrape')
  })

  it('refuses with 403 a request that came through a proxy, even one on this machine', async () => {
    for (const [name, value] of [['x-forwarded-for', '203.0.113.9'], ['forwarded', 'for=203.0.113.9'], ['x-real-ip', '203.0.113.9']] as const) {
      const error = assertHttpError(await scrape(t, { [name]: value }), 403, 'forbidden')
      assert.match(error.message, /METRICS_TOKEN/, `the message says how to open it: ${error.message}`)
    }
  })
})

describe('GET /metrics with METRICS_TOKEN', () => {
  const token = 'scrape-me-if-you-can-0123'
  let t: TestApp
  before(async () => { t = await startApp({ env: { METRICS_TOKEN: token } }) })
  after(() => t.close())

  it('refuses with 401 a request without the token, from this machine too', async () => {
    assertHttpError(await scrape(t), 401, 'unauthorized')
    assertHttpError(await scrape(t, { authorization: 'Bearer not-the-metrics-token' }), 401, 'unauthorized')
    assertHttpError(await scrape(t, { authorization: token }), 401, 'unauthorized')
  })

  it('answers whoever presents it as a bearer token, through a proxy too', async () => {
    assertMetrics(await scrape(t, { authorization: `Bearer ${token}`, 'x-forwarded-for': '203.0.113.9' }), 'with the token')
  })
})
