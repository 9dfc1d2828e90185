/**
 * The admin UI in development mode asks every node for its sockets as an operator connects. A node
 * that hangs (SIGSTOP: its heartbeat still counts for ten seconds) never answers; the node asking
 * must log it and go on serving, not end on an unhandled rejection.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { hashSync } from 'bcryptjs'
import { io } from 'socket.io-client'
import { frontDoorSkipReason, launchTestCluster, type TestCluster } from '../../helpers/cluster-processes.ts'
import { until } from '../../helpers/browser.ts'

const skip = await frontDoorSkipReason()
const PASSWORD = 'operators only'

describe('admin UI with a node that hangs', { skip }, () => {
  let cluster: TestCluster
  before(async () => {
    cluster = await launchTestCluster(2, { ADMIN_UI_USERNAME: 'ops', ADMIN_UI_PASSWORD_HASH: hashSync(PASSWORD, 4), ADMIN_UI_MODE: 'development' })
  })
  after(async () => {
    cluster?.nodes[1]?.child?.kill('SIGCONT')
    await cluster?.close()
  })

  it('signs the operator in on the other node, logs the unanswered request and keeps serving', async () => {
    const [one, two] = cluster.nodes
    two!.child!.kill('SIGSTOP')
    const admin = io(`${one!.url}/admin`, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { username: 'ops', password: PASSWORD } })
    try {
      const config = await new Promise<{ supportedFeatures: string[] }>((resolve, reject) => {
        admin.once('config', resolve)
        admin.once('connect_error', reject)
      })
      assert.ok(config.supportedFeatures.includes('ALL_EVENTS'))
      // The request for node 2's sockets times out after 5 s.
      await until('the failure logged by node 1', async () => cluster.output.filter((line) => line.includes('admin UI connection failed')), (lines) => lines.length > 0, 15_000)
      assert.equal((await fetch(`${one!.url}/healthz`)).status, 200, `node 1 still serves; it printed:\n${cluster.output.slice(-20).join('\n')}`)
      assert.ok(admin.connected, 'the operator stays connected')
    } finally {
      admin.close()
      two!.child!.kill('SIGCONT')
    }
  })
})
