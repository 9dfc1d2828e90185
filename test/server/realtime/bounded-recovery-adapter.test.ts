import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import type { Socket } from 'socket.io-client'
import { MESSAGE_MAX_LENGTH } from '../../../shared/chat.ts'
import { startApp, type TestApp } from '../../helpers/app.ts'
import { registerUser } from '../../helpers/http.ts'
import { connect, nextEvent, send } from '../../helpers/sockets.ts'

const MiB = 1024 * 1024
const clientId = () => randomUUID()

/** The network drops: the TCP connection under the WebSocket dies, so the server keeps the session. */
async function dropConnection (socket: Socket) {
  const dropped = nextEvent(socket, 'disconnect')
  ;(socket.io.engine.transport as unknown as { ws: { _socket: { destroy: () => void } } }).ws._socket.destroy()
  assert.equal(await dropped, 'transport close')
}

async function reconnect (socket: Socket) {
  const back = nextEvent(socket, 'connect')
  socket.connect()
  await back
}

describe('connection-state recovery with a ceiling (RECOVERY_BUFFER_MB)', () => {
  let t: TestApp
  let alice: Socket
  let bob: Socket
  const roomy = { burst: 1_000_000, perSecond: 1_000_000 }

  before(async () => {
    t = await startApp({
      limits: { chatSend: roomy, commandsPerSocket: roomy, commandsPerUser: roomy },
      env: { RECOVERY_BUFFER_MB: '1', RECOVERY_WINDOW_SECONDS: '60' }
    })
    const [a, b] = await Promise.all([registerUser(t.url), registerUser(t.url)])
    alice = await connect(t.url, '/chat', { token: a.token, transports: ['websocket'] })
    bob = await connect(t.url, '/chat', { token: b.token, transports: ['websocket'] })
    for (const socket of [alice, bob]) assert.ok((await send(socket, 'chat:join', { roomId: 'general' })).ok)
  })
  after(async () => {
    alice?.close()
    bob?.close()
    await t?.close()
  })

  /** A push bob has seen: recovery starts from the last one a client has (its offset). */
  async function bobHearsOne () {
    const heard = nextEvent(bob, 'chat:message')
    assert.ok((await send(alice, 'chat:send', { roomId: 'general', text: 'before the drop', clientId: clientId() })).ok)
    await heard
  }

  const chatAdapter = () => t.app.io.of('/chat').adapter as unknown as { keptBytes: number }

  it('gives a client back what it missed while the pushes it missed are within the ceiling', async () => {
    await bobHearsOne()
    await dropConnection(bob)
    const missed = await send(alice, 'chat:send', { roomId: 'general', text: 'a short gap', clientId: clientId() })
    assert.ok(missed.ok, JSON.stringify(missed))
    const redelivered = nextEvent(bob, 'chat:message')
    await reconnect(bob)
    assert.equal(bob.recovered, true, 'the session was restored')
    assert.deepEqual((await redelivered).message, missed.data.message)
  })

  it('drops the oldest pushes past the ceiling, so a client that missed them is told to catch up by seq instead', async () => {
    await bobHearsOne()
    await dropConnection(bob)
    const text = 'x'.repeat(MESSAGE_MAX_LENGTH)
    let last: any
    // About 1.5 MiB of pushes against a 1 MiB ceiling.
    for (let i = 0; i < Math.ceil(1.5 * MiB / MESSAGE_MAX_LENGTH); i++) {
      last = await send(alice, 'chat:send', { roomId: 'general', text, clientId: clientId() })
      assert.ok(last.ok, JSON.stringify(last))
    }
    assert.ok(chatAdapter().keptBytes <= MiB, `kept ${chatAdapter().keptBytes} bytes, over the 1 MiB ceiling`)
    assert.ok(chatAdapter().keptBytes > MiB / 2, `kept ${chatAdapter().keptBytes} bytes: the newest pushes stay`)
    await reconnect(bob)
    assert.equal(bob.recovered, false, 'its first missed push is gone, so the session is not restored')
    const caughtUp = await send(bob, 'chat:join', { roomId: 'general', since: 0 })
    assert.ok(caughtUp.ok, JSON.stringify(caughtUp))
    const seqs = caughtUp.data.messages.map((m: { seq: number }) => m.seq)
    assert.ok(seqs.includes(last.data.message.seq) || caughtUp.data.hasMore, 'catch-up by seq reaches what recovery dropped')
  })
})
