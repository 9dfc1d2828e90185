import assert from 'node:assert/strict'
import type { IncomingMessage } from 'node:http'
import { after, before, describe, it } from 'node:test'
import { SESSION_COOKIE } from '../../../shared/auth.ts'
import { Namespaces } from '../../../shared/protocol.ts'
import { createProxyTrust, LOOPBACK_PROXIES } from '../../../server/security/client-address.ts'
import { createOriginPolicy } from '../../../server/security/origin-policy.ts'
import { startApp, type TestApp } from '../../helpers/app.ts'
import { connect } from '../../helpers/sockets.ts'

interface Seen { method?: string, headers?: Record<string, string>, peer?: string, tls?: boolean }

/** A request as the policy sees it: method, headers, TCP peer, and whether the socket is TLS. */
const request = ({ method = 'POST', headers = {}, peer = '203.0.113.5', tls = false }: Seen) =>
  ({ method, headers: { host: 'app.example', ...headers }, socket: { remoteAddress: peer, ...(tls && { encrypted: true }) } }) as unknown as IncomingMessage

describe('createOriginPolicy', () => {
  const allowed = createOriginPolicy({ allowedOrigins: ['https://partner.example', 'http://localhost:5173'], proxyTrust: createProxyTrust(LOOPBACK_PROXIES) })
  const cases: [Seen, boolean, string][] = [
    [{ headers: { origin: 'http://app.example' } }, true, 'its own origin over plain http'],
    [{ headers: { origin: 'https://app.example' } }, false, 'https:// of its host over plain http'],
    [{ headers: { origin: 'https://app.example' }, tls: true }, true, 'its own origin over TLS'],
    [{ headers: { origin: 'http://app.example' }, tls: true }, false, 'http:// of its host over TLS'],
    [{ headers: { origin: 'https://app.example:443', host: 'app.example:443' }, tls: true }, true, 'default ports written out'],
    [{ headers: { origin: 'https://app.example', 'x-forwarded-proto': 'https' }, peer: '127.0.0.1' }, true, 'https as a trusted proxy forwards it'],
    [{ headers: { origin: 'http://app.example', 'x-forwarded-proto': 'https' }, peer: '127.0.0.1' }, false, 'http:// when a trusted proxy says https'],
    [{ headers: { origin: 'https://app.example', 'x-forwarded-proto': 'https' } }, false, 'https claimed by a peer that is no proxy'],
    [{ headers: { origin: 'https://partner.example' } }, true, 'a listed origin'],
    [{ headers: { origin: 'http://partner.example' } }, false, 'a listed host with another scheme'],
    [{ headers: { origin: 'http://localhost:5173' } }, true, 'a listed origin with a port'],
    [{ headers: { origin: 'https://evil.example' } }, false, 'a foreign origin'],
    [{ headers: { origin: 'http://app.example.evil.example' } }, false, 'a host that starts like ours'],
    [{ headers: { origin: 'null' } }, false, 'the opaque origin "null"'],
    [{ headers: { origin: 'not a url' } }, false, 'garbage'],
    [{ method: 'GET', headers: { cookie: `${SESSION_COOKIE}=abc` } }, true, 'no Origin on a GET handshake with the cookie (same-origin polling)'],
    [{ headers: { cookie: `${SESSION_COOKIE}=abc` } }, false, 'no Origin on a write with the session cookie'],
    [{ headers: { cookie: `theme=dark; ${SESSION_COOKIE}=abc` } }, false, 'no Origin on a write with the session cookie among others'],
    [{ headers: { cookie: 'theme=dark' } }, true, 'no Origin on a write with other cookies only'],
    [{ headers: {} }, true, 'no Origin on a write without cookies (a bearer-token client)']
  ]
  for (const [seen, expected, what] of cases) {
    it(`${expected ? 'allows' : 'refuses'} ${what}`, () => {
      assert.equal(allowed(request(seen)), expected, `${JSON.stringify(seen)}: expected ${expected ? 'allowed' : 'refused'}`)
    })
  }
})

describe('the origin policy on Socket.IO handshakes', () => {
  let t: TestApp
  before(async () => { t = await startApp() })
  after(() => t.close())

  it('refuses https:// of the app\'s host over plain http, and accepts http://', async () => {
    await assert.rejects(connect(t.url, Namespaces.ticker, { extraHeaders: { origin: t.url.replace('http:', 'https:') } }), 'https:// over http is refused')
    const socket = await connect(t.url, Namespaces.ticker, { extraHeaders: { origin: t.url } })
    socket.close()
  })
})
