import assert from 'node:assert/strict'
import type { IncomingMessage } from 'node:http'
import { after, before, describe, it } from 'node:test'
import { Namespaces } from '../../../shared/protocol.ts'
import { addressKey, createClientAddress, createProxyTrust, LOOPBACK_PROXIES } from '../../../server/security/client-address.ts'
import { startApp, type TestApp } from '../../helpers/app.ts'
import { connect } from '../../helpers/sockets.ts'

/** A request as the server sees it: the TCP peer and the headers. */
const request = (peer: string, forwardedFor?: string) =>
  ({ socket: { remoteAddress: peer }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } }) as unknown as IncomingMessage

describe('createClientAddress', () => {
  const cases: [trusted: readonly string[], peer: string, forwardedFor: string | undefined, expected: string, why: string][] = [
    [[], '203.0.113.5', undefined, '203.0.113.5', 'the peer, with no header'],
    [[], '127.0.0.1', '198.51.100.1', '127.0.0.1', 'the peer: with no trusted proxy the header is ignored'],
    [LOOPBACK_PROXIES, '127.0.0.1', '198.51.100.7', '198.51.100.7', 'the address a loopback proxy forwarded'],
    [LOOPBACK_PROXIES, '::1', '198.51.100.7', '198.51.100.7', 'the address an IPv6 loopback proxy forwarded'],
    [LOOPBACK_PROXIES, '::ffff:127.0.0.1', '198.51.100.7', '198.51.100.7', 'the address forwarded over an IPv4-mapped loopback peer'],
    [LOOPBACK_PROXIES, '127.0.0.1', '203.0.113.66, 198.51.100.7', '198.51.100.7', 'the hop the proxy appended, not what the client prepended'],
    [LOOPBACK_PROXIES, '203.0.113.5', '198.51.100.7', '203.0.113.5', 'a direct client, whose own header is not believed'],
    [['127.0.0.1', '10.0.0.0/8'], '127.0.0.1', '203.0.113.66, 198.51.100.7, 10.1.2.3', '198.51.100.7', 'the first untrusted hop through a chain of proxies'],
    [['10.0.0.0/8'], '127.0.0.1', '198.51.100.7', '127.0.0.1', 'the peer when it is not a configured proxy, even on loopback']
  ]
  for (const [trusted, peer, forwardedFor, expected, why] of cases) {
    it(`trusting [${trusted.join(', ')}], gives ${why}`, () => {
      const seen = createClientAddress(createProxyTrust(trusted))(request(peer, forwardedFor))
      assert.equal(seen, expected, `peer ${peer}, X-Forwarded-For ${JSON.stringify(forwardedFor)}: expected ${expected}, got ${seen}`)
    })
  }

  it('refuses an entry that is not an address or a CIDR', () => {
    assert.throws(() => createProxyTrust(['10.0.0.1', 'proxy.internal']), /invalid IP address: proxy.internal/)
  })
})

describe('addressKey', () => {
  const cases: [string, string][] = [
    ['198.51.100.7', '198.51.100.7'],
    ['::ffff:198.51.100.7', '198.51.100.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:0002:ffff::1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['64:ff9b::198.51.100.7', '64:ff9b:0:0::/64']
  ]
  for (const [address, expected] of cases) {
    it(`counts ${address} as ${expected}`, () => assert.equal(addressKey(address), expected))
  }
})

describe('app.clientAddress on a Socket.IO handshake', () => {
  let t: TestApp
  before(async () => { t = await startApp({ env: { TRUST_PROXY: '127.0.0.1' } }) })
  after(() => t.close())

  it('follows the same trust rule as HTTP: the hop the proxy appended', async () => {
    const seen = new Promise<string>((resolve) => t.app.io.of(Namespaces.ticker).once('connection', (socket) => resolve(t.app.clientAddress(socket.request))))
    const socket = await connect(t.url, Namespaces.ticker, { extraHeaders: { 'x-forwarded-for': '203.0.113.66, 198.51.100.7' } })
    try {
      assert.equal(await seen, '198.51.100.7')
    } finally {
      socket.close()
    }
  })
})
