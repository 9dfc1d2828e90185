import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Socket } from 'socket.io-client'
import { Limits } from '../../../shared/limits.ts'
import { api, assertHttpError, registerUser } from '../../helpers/http.ts'
import { nodesSkipReason, startNodes, type TestNodes } from '../../helpers/nodes.ts'
import { connect, send } from '../../helpers/sockets.ts'

const skip = await nodesSkipReason()
const publishKey = 'publish-key-for-shared-limit-tests'
/** The wait for one token of `budget` when none is left (the clock stands still). */
const oneToken = (budget: { perSecond: number }) => Math.ceil(1000 / budget.perSecond)

describe('rate limits shared by three nodes', { skip }, () => {
  let cluster: TestNodes
  // The clock stands still unless a test moves it, so no token comes back while requests run.
  let t = Date.now()
  const sockets: Socket[] = []
  /** Which node the i-th request goes to: round the three. */
  const node = (i: number) => cluster.nodes[i % cluster.nodes.length]!

  before(async () => {
    cluster = await startNodes(3, { now: () => t, env: { PUBLISH_KEYS: publishKey } })
  })
  after(async () => {
    for (const socket of sockets) socket.close()
    await cluster?.close()
  })

  it('gives a user one chat:send budget, whichever node each message goes through', async () => {
    const alice = await registerUser(node(0).url)
    for (const { url } of cluster.nodes) {
      const socket = await connect(url, '/chat', { token: alice.token })
      sockets.push(socket)
      const joined = await send(socket, 'chat:join', { roomId: 'general' })
      assert.ok(joined.ok, JSON.stringify(joined))
    }
    const sendOn = (i: number) => send(sockets[i % sockets.length]!, 'chat:send', { roomId: 'general', text: `message ${i}`, clientId: `shared-limits-${process.pid}-${i}` })

    const { burst } = Limits.chatSend
    for (let i = 0; i < burst; i++) {
      const sent = await sendOn(i)
      assert.ok(sent.ok, `send ${i + 1} of a burst of ${burst}, on node ${(i % 3) + 1}: ${JSON.stringify(sent)}`)
    }
    for (let i = burst; i < burst + 3; i++) {
      const refused = await sendOn(i)
      assert.ok(!refused.ok && refused.error.code === 'rate_limited', `send ${i + 1}, past the burst, on node ${(i % 3) + 1}: expected rate_limited, got ${JSON.stringify(refused)}`)
      assert.equal(refused.error.retryAfterMs, oneToken(Limits.chatSend), JSON.stringify(refused))
    }

    t += oneToken(Limits.chatSend)
    const [again, more] = [await sendOn(burst + 3), await sendOn(burst + 4)]
    assert.ok(again.ok, `one token back for all nodes: ${JSON.stringify(again)}`)
    assert.ok(!more.ok && more.error.code === 'rate_limited', `and only one: ${JSON.stringify(more)}`)
  })

  it('gives an account and address one sign-in budget across the nodes', async () => {
    const bob = await registerUser(node(1).url)
    const login = (i: number, password: string) => api(node(i).url, 'POST', '/api/auth/login', { body: { username: bob.user.username, password } })
    const { burst } = Limits.login
    for (let i = 0; i < burst; i++) assertHttpError(await login(i, 'wrong password, attempt ' + i), 401, 'unauthorized')
    for (let i = burst; i < burst + 3; i++) {
      // Even the right password: the budget is spent, on every node.
      const error = assertHttpError(await login(i, bob.password), 429, 'rate_limited')
      assert.equal(error.retryAfterMs, oneToken(Limits.login), `attempt ${i + 1} on node ${(i % 3) + 1}: ${JSON.stringify(error)}`)
    }
  })

  it('gives a publish key one budget across the nodes', async () => {
    const carol = await registerUser(node(2).url)
    const publish = (i: number) => api(node(i).url, 'POST', '/api/notifications', {
      headers: { authorization: `Bearer ${publishKey}` },
      body: { to: { usernames: [carol.user.username] }, kind: 'system', title: `Deploy ${i}` }
    })
    const { burst } = Limits.publish
    for (let i = 0; i < burst; i++) {
      const res = await publish(i)
      assert.equal(res.status, 202, `publish ${i + 1} of a burst of ${burst}, on node ${(i % 3) + 1}: ${JSON.stringify(res.body)}`)
    }
    for (let i = burst; i < burst + 3; i++) assertHttpError(await publish(i), 429, 'rate_limited')
  })
})
