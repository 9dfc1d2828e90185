import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { startApp } from '../../helpers/app.ts'
import { api, assertHttpError } from '../../helpers/http.ts'
import { connect, nextEvent } from '../../helpers/sockets.ts'

describe('socket-io plugin: closing behind a front door (SHUTDOWN_DRAIN_SECONDS)', () => {
  it('answers /readyz 503 and refuses new connections while it drains, then drops the connected clients', async () => {
    const t = await startApp({ env: { SHUTDOWN_DRAIN_SECONDS: '1' } })
    const viewer = await connect(t.url, '/ticker')
    try {
      const dropped = nextEvent(viewer, 'disconnect', 10_000)
      const closing = t.close()
      assertHttpError(await api(t.url, 'GET', '/readyz'), 503, 'unavailable')
      await assert.rejects(connect(t.url, '/ticker'), 'a new connection is refused while draining')
      assert.equal(viewer.connected, true, 'connected clients stay until the drain ends')
      assert.equal(await dropped, 'transport close', 'then they see a transport close, and reconnect elsewhere')
      await closing
    } finally {
      viewer.close()
    }
  })
})
