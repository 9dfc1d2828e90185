import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import type { Socket as ServerSocket } from 'socket.io'
import type { Socket } from 'socket.io-client'
import { Type } from 'typebox'
import { command, type CommandCatalog } from '../../../shared/protocol.ts'
import { AppError } from '../../../server/errors.ts'
import { createCommandBudget } from '../../../server/realtime/command-budget.ts'
import { createDispatcher, defineHandler, type Handlers } from '../../../server/realtime/define-handler.ts'
import { startApp, type TestApp } from '../../helpers/app.ts'
import { openRawSocket } from '../../helpers/raw-socket.ts'
import { connect, nextEvent, send } from '../../helpers/sockets.ts'
import { scrapeMetrics } from '../../helpers/metrics.ts'

const NS = '/test-ns'
const BUDGET_NS = '/test-budget'
const secret = 'SELECT password_hash FROM users -- /srv/hubbub/server/secret.ts:42'

const commands = {
  'test:echo': command({
    payload: Type.Object({ text: Type.String({ minLength: 1, maxLength: 10 }), count: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }),
    data: Type.Object({ text: Type.String() }),
    summary: 'Echo the text.'
  }),
  'test:refuse': command({ payload: Type.Object({}), data: Type.Object({}), summary: 'Fails with an AppError.' }),
  'test:crash': command({ payload: Type.Object({}), data: Type.Object({}), summary: 'Fails with an unexpected Error.' }),
  'test:poke': command({ payload: Type.Object({}), data: Type.Object({}), summary: 'Fire and forget.', ackOptional: true }),
  'test:heavy': command({ payload: Type.Object({}), data: Type.Object({}), summary: 'Expensive to answer.', cost: 4 })
} satisfies CommandCatalog

/** A budget far above what these tests send, on a clock that never moves. */
const roomy = { burst: 10_000, perSecond: 1 }
const generous = { commandsPerSocket: roomy, commandsPerUser: roomy, commandsPerAddress: roomy, refusalsPerSocket: roomy }

describe('defineHandler and createDispatcher', () => {
  let t: TestApp
  let client: Socket
  const runs: Record<string, unknown[]> = { echo: [], poke: [], heavy: [] }
  // The budget namespace's clock: its buckets refill only when a test moves it.
  let clock = 0
  const logLines: Record<string, unknown>[] = []

  before(async () => {
    // A logger that keeps its JSON lines, to see what the server logged about a crash.
    const stream = new Writable({
      write (chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line))
        done()
      }
    })
    t = await startApp({ logger: { level: 'debug', stream } })

    const handlers: Handlers<typeof commands, ServerSocket> = {
      'test:echo': defineHandler(commands['test:echo'], (payload) => {
        runs.echo!.push(payload)
        return { text: payload.text }
      }),
      'test:refuse': defineHandler(commands['test:refuse'], async () => {
        throw new AppError('conflict', 'That is taken.')
      }),
      'test:crash': defineHandler(commands['test:crash'], async () => {
        throw new Error(secret)
      }),
      'test:poke': defineHandler(commands['test:poke'], (payload) => {
        runs.poke!.push(payload)
        return {}
      }),
      'test:heavy': defineHandler(commands['test:heavy'], (payload) => {
        runs.heavy!.push(payload)
        return {}
      })
    }
    const context = { log: t.app.log, metrics: t.app.metrics }
    // Anonymous sockets, as the handshake leaves them on /ticker: no user, limited by address.
    const anonymous = (socket: ServerSocket, next: () => void) => {
      socket.data = { user: null, sessionId: null, address: socket.handshake.address }
      next()
    }
    const dispatch = createDispatcher(handlers, { ...context, ns: NS, budget: createCommandBudget(generous, () => 0) })
    t.app.io.of(NS).use(anonymous).on('connection', (socket) => { socket.onAny(dispatch) })
    const budget = createCommandBudget({
      commandsPerSocket: { burst: 10, perSecond: 1 },
      commandsPerUser: roomy,
      commandsPerAddress: { burst: 15, perSecond: 1 },
      refusalsPerSocket: { burst: 3, perSecond: 1 }
    }, () => clock)
    const budgetDispatch = createDispatcher(handlers, { ...context, ns: BUDGET_NS, budget })
    t.app.io.of(BUDGET_NS).use(anonymous).on('connection', (socket) => { socket.onAny(budgetDispatch) })
    client = await connect(t.url, NS)
  })
  after(async () => {
    client.close()
    await t.close()
  })

  it('acks a valid payload with {ok: true, data} from run', async () => {
    assert.deepEqual(await send(client, 'test:echo', { text: 'hello' }), { ok: true, data: { text: 'hello' } })
    assert.deepEqual(runs.echo!.at(-1), { text: 'hello' })
  })

  const invalid: [string, unknown, RegExp][] = [
    ['an empty required string', { text: '' }, /^text: /],
    ['a too long string', { text: 'x'.repeat(11) }, /^text: /],
    ['a missing field', {}, /\btext\b/],
    ['a wrong type in an optional field', { text: 'hi', count: 'many' }, /^count: /],
    ['an unknown extra field', { text: 'hi', admin: true }, /\badmin\b/],
    ['a payload that is not an object', 'hello', /^payload: /],
    ['null', null, /^payload: /]
  ]
  for (const [what, payload, field] of invalid) {
    it(`answers invalid_payload naming the field, without calling run, for ${what}`, async () => {
      const before = runs.echo!.length
      const result = await send(client, 'test:echo', payload)
      assert.equal(result.ok, false, `expected a refusal, got ${JSON.stringify(result)}`)
      assert.equal(result.ok === false && result.error.code, 'invalid_payload', JSON.stringify(result))
      assert.match(result.ok === false ? result.error.message : '', field)
      assert.equal(runs.echo!.length, before, 'run was called with an invalid payload')
    })
  }

  it('answers invalid_payload when more than one argument comes with the ack', async () => {
    const result = await client.timeout(5000).emitWithAck('test:echo', { text: 'a' }, { text: 'b' })
    assert.equal(result.ok, false, JSON.stringify(result))
    assert.equal(result.error.code, 'invalid_payload')
  })

  it('maps a thrown AppError to its code and message', async () => {
    assert.deepEqual(await send(client, 'test:refuse', {}), { ok: false, error: { code: 'conflict', message: 'That is taken.' } })
  })

  it('maps an unexpected Error to `internal` with a generic message, and logs it with context', async () => {
    const result = await send(client, 'test:crash', {})
    assert.equal(result.ok, false, JSON.stringify(result))
    assert.equal(result.ok === false && result.error.code, 'internal')
    const text = JSON.stringify(result)
    for (const leak of ['SELECT', 'password_hash', '/srv/', 'secret.ts', 'Error:']) {
      assert.ok(!text.includes(leak), `the ack leaks "${leak}": ${text}`)
    }
    const logged = logLines.find((line) => line.msg === 'handler failed')
    assert.ok(logged, `expected a "handler failed" log line, got ${JSON.stringify(logLines.map((line) => line.msg))}`)
    assert.equal(logged.ns, NS)
    assert.equal(logged.event, 'test:crash')
    assert.equal(logged.socketId, client.id)
  })

  it('ignores a command sent without an ack callback, and keeps serving', async () => {
    const before = runs.echo!.length
    client.emit('test:echo', { text: 'no ack' })
    client.emit('test:echo', { text: '' })
    client.emit('test:crash', {})
    // Events of one socket are handled in order, so once this ack arrives the three above were seen.
    assert.deepEqual(await send(client, 'test:echo', { text: 'after' }), { ok: true, data: { text: 'after' } })
    assert.deepEqual(runs.echo!.slice(before), [{ text: 'after' }])
    assert.equal(client.connected, true)
  })

  it('runs nothing for events read after the socket left the namespace', async () => {
    const raw = await openRawSocket(t.url)
    try {
      for (const nsp of [NS, BUDGET_NS]) assert.deepEqual(await raw.connect(nsp), { kind: 'packet', packet: { ok: true } })
      const before = runs.echo!.length
      // Leaving (41) and an event in the same read: Socket.IO still hands the event to onAny.
      raw.sendText(`41${NS},`)
      const late = raw.ackId()
      raw.sendText(raw.eventFrame(NS, ['test:echo', { text: 'late' }], late))
      // Packets of one connection are handled in order: once this is answered, both above were.
      const after = raw.ackId()
      raw.sendText(raw.eventFrame(BUDGET_NS, ['test:echo', { text: 'after' }], after))
      assert.deepEqual(await raw.ack(BUDGET_NS, after), { kind: 'packet', packet: [{ ok: true, data: { text: 'after' } }] })
      assert.deepEqual(runs.echo!.slice(before), [{ text: 'after' }], 'the event after the leave ran')
      assert.deepEqual(raw.packets.filter((packet) => packet.id === late), [], 'the event after the leave was answered')
    } finally {
      await raw.close()
    }
  })

  it('runs a command whose spec makes the ack optional, with or without an ack', async () => {
    client.emit('test:poke', {})
    assert.deepEqual(await send(client, 'test:poke', {}), { ok: true, data: {} })
    assert.equal(runs.poke!.length, 2)
  })

  it('answers not_found to an unknown command with an ack, and ignores one without', async () => {
    assert.deepEqual(await send(client, 'test:unknown', {}), { ok: false, error: { code: 'not_found', message: 'No such command.' } })
    assert.deepEqual(await client.timeout(5000).emitWithAck(42 as unknown as string), { ok: false, error: { code: 'not_found', message: 'No such command.' } })
    client.emit('test:unknown', {})
    assert.deepEqual(await send(client, 'test:echo', { text: 'still' }), { ok: true, data: { text: 'still' } })
  })

  describe('command budget', () => {
    const heavyRuns = () => runs.heavy!.length

    it('refuses a command beyond the socket\'s budget with rate_limited and a retry hint, running nothing', async () => {
      const socket = await connect(t.url, BUDGET_NS)
      try {
        // Cost 4 out of 10: two pass, the third finds 2 left and waits for 2 more at 1 a second.
        assert.deepEqual(await send(socket, 'test:heavy', {}), { ok: true, data: {} })
        assert.deepEqual(await send(socket, 'test:heavy', {}), { ok: true, data: {} })
        const ran = heavyRuns()
        assert.deepEqual(await send(socket, 'test:heavy', {}), {
          ok: false, error: { code: 'rate_limited', message: 'Too many commands. Slow down.', retryAfterMs: 2000 }
        })
        assert.equal(heavyRuns(), ran, 'a refused command ran')
        assert.deepEqual(await send(socket, 'test:echo', { text: 'cheap' }), { ok: true, data: { text: 'cheap' } }, 'a cost-1 command still fits')
        clock += 3000
        assert.deepEqual(await send(socket, 'test:heavy', {}), { ok: true, data: {} }, 'the budget refills with time')
      } finally {
        socket.close()
      }
    })

    it('shares one budget between the sockets of one address (or one user)', async () => {
      clock += 60_000
      const [first, second] = [await connect(t.url, BUDGET_NS), await connect(t.url, BUDGET_NS)]
      try {
        // 15 for the address: 8 on the first socket and 4 on the second leave 3, not enough for a 4.
        for (const socket of [first, first, second]) assert.equal((await send(socket, 'test:heavy', {})).ok, true)
        const refused = await send(second, 'test:heavy', {})
        assert.equal(refused.ok === false && refused.error.code, 'rate_limited', JSON.stringify(refused))
      } finally {
        first.close()
        second.close()
      }
    })

    it('disconnects a socket that goes on after being refused, and only that socket', async () => {
      clock += 60_000
      const [abuser, bystander] = [await connect(t.url, BUDGET_NS), await connect(t.url, BUDGET_NS)]
      try {
        const closed = nextEvent(abuser, 'disconnect')
        const answers = []
        for (let i = 0; i < 6; i++) answers.push(await send(abuser, 'test:heavy', {}))
        assert.deepEqual(answers.map((a) => a.ok || a.error.code), [true, true, 'rate_limited', 'rate_limited', 'rate_limited', 'rate_limited'])
        // The fourth refusal had no refusal left: the server closes the socket.
        assert.equal(await closed, 'io server disconnect')
        assert.deepEqual(await send(bystander, 'test:echo', { text: 'fine' }), { ok: true, data: { text: 'fine' } })
      } finally {
        abuser.close()
        bystander.close()
      }
    })
  })

  it('keeps serving other sockets while one fails', async () => {
    const other = await connect(t.url, NS)
    try {
      const [crashed, echoed] = await Promise.all([send(client, 'test:crash', {}), send(other, 'test:echo', { text: 'fine' })])
      assert.equal(crashed.ok === false && crashed.error.code, 'internal', JSON.stringify(crashed))
      assert.deepEqual(echoed, { ok: true, data: { text: 'fine' } })
    } finally {
      other.close()
    }
  })

  it('counts handled and failed commands, and ack latency, in /metrics', async () => {
    const text = await scrapeMetrics(t)
    const value = (line: string) => {
      const found = text.split('\n').find((l) => l.startsWith(line + ' '))
      assert.ok(found, `expected a metrics line starting with ${line}, in:\n${text.split('\n').filter((l) => l.startsWith('hubbub_')).join('\n')}`)
      return Number(found.slice(line.length + 1))
    }
    assert.ok(value('hubbub_events_handled_total{event="test:echo"}') >= 4)
    assert.ok(value('hubbub_events_failed_total{event="test:echo",code="invalid_payload"}') >= invalid.length)
    assert.equal(value('hubbub_events_failed_total{event="test:refuse",code="conflict"}'), 1)
    assert.equal(value('hubbub_events_failed_total{event="test:crash",code="internal"}'), 2)
    assert.ok(value('hubbub_ack_latency_seconds_count{event="test:echo"}') >= 4)
    // Unknown names are the sender's to choose: they share one label instead of making new series.
    assert.ok(value('hubbub_events_failed_total{event="(unknown)",code="not_found"}') >= 2)
    assert.ok(!text.includes('test:unknown'), 'an unknown event name became a metric label')
    assert.ok(value('hubbub_events_failed_total{event="test:heavy",code="rate_limited"}') >= 2)
  })
})
