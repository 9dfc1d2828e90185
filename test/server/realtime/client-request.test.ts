import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Socket } from 'socket.io-client'
import { request } from '../../../client/src/realtime/request.ts'
import { startApp, type TestApp } from '../../helpers/app.ts'
import { connect } from '../../helpers/sockets.ts'

/** The browser's request() against a real server whose budget is small, on a real socket. */
describe('client request() and the command budget', () => {
  let t: TestApp
  let socket: Socket
  before(async () => {
    t = await startApp({ limits: { commandsPerSocket: { burst: 4, perSecond: 40 } } })
    socket = await connect(t.url, '/ticker')
  })
  after(async () => {
    socket.close()
    await t.close()
  })

  it('sends a command refused as rate_limited again after the wait the server names', async () => {
    // Ten at once against a burst of four: six are refused at first, and each retry waits its turn.
    const results = await Promise.all(Array.from({ length: 10 }, () =>
      request(socket as never, 'ticker:unsubscribe' as never, { symbols: ['QLFX'] } as never)))
    assert.deepEqual(results.map((result) => result.ok || result.error.code), Array(10).fill(true))
  })

  it('gives up after a few tries and answers the refusal', async () => {
    // A cost of 10 never fits in a burst of 4: the server refuses it every time.
    const result = await request(socket as never, 'ticker:sparklines' as never, { all: true } as never)
    assert.equal(result.ok === false && result.error.code, 'rate_limited', JSON.stringify(result))
  })
})
