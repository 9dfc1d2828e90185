import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Socket } from 'socket.io-client'
import { protocolCatalog } from '../../shared/catalog.ts'
import { Limits } from '../../shared/limits.ts'
import { Namespaces, PROTOCOL_VERSION } from '../../shared/protocol.ts'
import { openRawSocket } from '../helpers/raw-socket.ts'
import { connect, nextEvent, send } from '../helpers/sockets.ts'
import { createFrameRunner, type FrameRunner, type Outcome } from './frame-runner.ts'
import { hostileCorpus, type CorpusEntry, type RawEntry } from './hostile-corpus.ts'
import { startLegitTraffic } from './legit-traffic.ts'
import { tally, writeReliabilityFigures } from './reliability-report.ts'
import { assertEveryMessageDelivered, assertNoErrorsNorPollution, assertOnlyAllowedChanges, testsOfTheAftermath } from './reliability-checks.ts'
import { createLedger, snapshotStorage, type Snapshot } from './storage-changes.ts'
import { roomyLimits, startArena, type Arena } from './start-arena.ts'

const figures: Record<string, unknown> = {}
after(() => writeReliabilityFigures('hostile-frames', figures))

const labelOf = (entry: CorpusEntry) => entry.kind === 'raw' ? `raw frames (${entry.ns ?? 'no namespace'})` : `${entry.ns} ${String(entry.args[0]).slice(0, 40)}`
const commandsOf = new Map(protocolCatalog.namespaces.map((ns) => [ns.path, new Set(Object.keys(ns.commands))]))
/** The command an entry sends, or null for raw frames and event names that are no command of its namespace. */
const commandOf = (entry: CorpusEntry) => entry.kind === 'command' && commandsOf.get(entry.ns)!.has(entry.args[0] as string) ? entry.args[0] as string : null

describe('a corpus of hand-written hostile frames', () => {
  let arena: Arena
  let runner: FrameRunner
  let corpus: CorpusEntry[]
  let legit: Awaited<ReturnType<typeof startLegitTraffic>>
  let baseline: Snapshot
  const ledger = createLedger()
  const prototypeNames = Object.getOwnPropertyNames(Object.prototype)
  const counts = { byExpectation: {} as Record<string, number>, byNamespace: {} as Record<string, number>, byCommand: {} as Record<string, number> }
  let [matched, answered, closed, silent] = [0, 0, 0, 0]

  before(async () => {
    // Roomy budgets (see roomyLimits): the corpus tests the answer each frame gets, not the budget.
    arena = await startArena({ limits: roomyLimits })
    const { mallory, alice, bob } = arena.users
    runner = createFrameRunner(arena.url, { mallory: { token: mallory.token, protocolVersion: PROTOCOL_VERSION }, anonymous: { protocolVersion: PROTOCOL_VERSION } })
    corpus = hostileCorpus(arena)
    baseline = snapshotStorage(arena.dbFile)
    legit = await startLegitTraffic(arena.url, arena.rooms.arena, [alice, bob], { onAccepted: ledger.accept })
  })
  after(async () => {
    legit?.close()
    await runner?.close()
    await arena?.close()
  })

  /** What the victim owns that no answer to the attacker may contain. */
  const victimSecrets = () => ['a secret of carol', 'carol one', 'carol two', arena.messages.carol, arena.alerts.carol, ...arena.notifications.carol]

  const runRaw = async (entry: RawEntry): Promise<Outcome> => {
    const socket = await openRawSocket(arena.url)
    try {
      for (const ns of [entry.ns, entry.probeNs]) {
        if (!ns) continue
        const connected = await socket.connect(ns, { token: arena.users.mallory.token })
        assert.ok(connected.kind === 'packet' && connected.packet.ok, `mallory could not connect to ${ns}: ${JSON.stringify(connected)}`)
      }
      const sendAll = () => {
        for (const frame of entry.frames) typeof frame === 'string' ? socket.sendText(frame) : socket.sendBinary(frame)
      }
      if (entry.connectTo === undefined) {
        return await runner.outcomeOf(socket, entry.ns!, () => { sendAll(); return entry.ackId }, { probeNs: entry.probeNs })
      }
      const from = socket.packets.length
      sendAll()
      const answer = await socket.connectAnswer(entry.connectTo, from)
      const seen = answer.kind === 'closed' ? 'closed' : answer.packet.ok ? 'connected' : `connect_error:${answer.packet.message}` as const
      return { seen, problems: [], unexpected: socket.packets.slice(from).filter((p) => p.nsp !== entry.connectTo) }
    } finally {
      await socket.close()
    }
  }

  it('has at least 100 frames, and frames for every command of every namespace', () => {
    const commandEntries = corpus.filter((entry) => entry.kind === 'command')
    assert.ok(corpus.length >= 100, `expected at least 100 hostile frames, got ${corpus.length}`)
    for (const { path, commands } of protocolCatalog.namespaces) {
      for (const name of Object.keys(commands)) {
        const count = commandEntries.filter((entry) => entry.ns === path && entry.args[0] === name).length
        assert.ok(count >= 8, `expected at least 8 hostile frames of ${path} ${name}, got ${count}`)
      }
    }
  })

  it('answers every frame as its entry says, never internal, and leaks nothing of the victim\'s', async (t) => {
    // One subtest per frame, in order (a frame may depend on what an earlier one left, as an attacker's would).
    for (const entry of corpus) {
      await t.test(`${labelOf(entry)}: ${entry.name} -> ${entry.expect}`, async () => {
        const outcome = entry.kind === 'raw' ? await runRaw(entry) : await runner.emit(entry.who, entry.ns, entry.args, entry.ack)
        const command = commandOf(entry)
        tally(counts.byExpectation, entry.expect)
        tally(counts.byNamespace, entry.kind === 'raw' ? 'raw frames' : entry.ns)
        tally(counts.byCommand, command === null ? (entry.kind === 'raw' ? 'raw frames' : 'event names that are no command') : `${entry.ns} ${command}`)
        if (outcome.seen === entry.expect && outcome.problems.length === 0 && outcome.unexpected.length === 0) matched++
        if (outcome.result !== undefined) answered++
        if (outcome.seen === 'closed') closed++
        if (outcome.seen === 'silence') silent++
        if (outcome.seen === 'ok' && command !== null) ledger.accept(arena.users.mallory.user.id, command, (entry as { args: unknown[] }).args[1], (outcome.result as { data: unknown }).data)

        const shown = JSON.stringify(outcome.result) ?? ''
        assert.equal(outcome.seen, entry.expect, `expected ${entry.expect}, saw ${outcome.seen} ${shown.slice(0, 500)}`)
        assert.deepEqual(outcome.problems, [], `the answer is malformed: ${shown.slice(0, 500)}`)
        assert.deepEqual(outcome.unexpected, [], 'the server sent something else meanwhile')
        const leaked = victimSecrets().filter((secret) => shown.includes(secret))
        assert.deepEqual(leaked, [], `the answer holds the victim's data: ${shown.slice(0, 500)}`)
      })
    }
  })

  testsOfTheAftermath(() => ({ arena, legit, baseline, ledger }), figures)

  it('logged no error, polluted no prototype, and still serves', async () => {
    assertNoErrorsNorPollution(arena, prototypeNames)
    const probe = await runner.emit('mallory', Namespaces.chat, ['chat:history', { roomId: arena.rooms.arena, limit: 1 }])
    assert.equal(probe.seen, 'ok', `a plain command after the corpus: ${JSON.stringify(probe)}`)
    Object.assign(figures, {
      frames: corpus.length,
      commandFrames: corpus.filter((entry) => entry.kind === 'command').length,
      rawFrames: corpus.filter((entry) => entry.kind === 'raw').length,
      ...counts,
      matched,
      answered,
      connectionsClosed: closed,
      silent
    })
  })
})

describe('a flood, with the default limits', () => {
  let arena: Arena
  const sockets: Socket[] = []
  after(async () => {
    for (const socket of sockets) socket.close()
    await arena?.close()
  })

  it('is answered rate_limited with a retry hint, then the flooder is disconnected, while a legitimate client carries on', async () => {
    arena = await startArena({ attackerAlerts: 0 })
    const { mallory, alice, bob } = arena.users
    const ledger = createLedger()
    const baseline = snapshotStorage(arena.dbFile)
    // Under chatSend's burst, so their own sends never meet a limit however fast the flood goes.
    const perUser = Limits.chatSend.burst / 2
    const legit = await startLegitTraffic(arena.url, arena.rooms.arena, [alice, bob], { perUser, onAccepted: ledger.accept })
    const flooder = await connect(arena.url, Namespaces.chat, { token: mallory.token })
    sockets.push(flooder, ...legit.sockets)

    const disconnected = nextEvent<string>(flooder, 'disconnect')
    const answers: { ok: boolean, error?: { code: string, retryAfterMs?: number } }[] = []
    const flood = [
      ['chat:history', { roomId: arena.rooms.arena, limit: 100 }],
      ['chat:join', { roomId: arena.rooms.arena, since: 0 }],
      ['chat:edit', { messageId: arena.messages.carol, text: 'mine now' }],
      ['chat:nope', {}]
    ] as const
    // Far more than the socket's budget (Limits.commandsPerSocket.burst cost units) and its refusals.
    const frames = 2 * (Limits.commandsPerSocket.burst + Limits.refusalsPerSocket.burst)
    for (let i = 0; i < frames; i++) {
      const [event, payload] = flood[i % flood.length]!
      flooder.emit(event, payload, (answer: typeof answers[number]) => answers.push(answer))
    }
    assert.equal(await disconnected, 'io server disconnect')
    await legit.done
    const legitFigures = await legit.stop()

    const codes: Record<string, number> = {}
    for (const answer of answers) tally(codes, answer.ok ? 'ok' : answer.error!.code)
    const refused = answers.filter((answer) => !answer.ok && answer.error!.code === 'rate_limited')
    assert.deepEqual(Object.keys(codes).filter((code) => !['ok', 'rate_limited', 'forbidden', 'not_found'].includes(code)), [], `answers by code: ${JSON.stringify(codes)}`)
    assert.ok(refused.length > Limits.refusalsPerSocket.burst, `expected more than ${Limits.refusalsPerSocket.burst} rate_limited answers before the disconnect, got ${JSON.stringify(codes)}`)
    assert.deepEqual(refused.filter((answer) => !(Number.isInteger(answer.error!.retryAfterMs) && answer.error!.retryAfterMs! > 0)), [], 'rate_limited answers without a retry hint')
    assert.ok(answers.length < frames, `the flooder was disconnected before all ${frames} frames were answered (answered ${answers.length})`)
    assert.ok(arena.logLines.some((line) => line.msg === 'socket disconnected: it kept sending after being rate limited'), 'no log line about the disconnect')

    assertEveryMessageDelivered(legitFigures)
    assert.ok(legitFigures.every((user) => user.acked === perUser), `each sent ${perUser}: ${JSON.stringify(legitFigures)}`)
    // The flooder's accepted joins were still running at the disconnect: none may leave it online.
    const joined = await send(legit.sockets[0]!, 'chat:join', { roomId: arena.rooms.arena })
    assert.ok(joined.ok, JSON.stringify(joined))
    assert.deepEqual(joined.data.members.filter((member: { online: boolean }) => member.online).map((member: { username: string }) => member.username), ['alice', 'bob'], 'who is online in the arena')
    const rowsChanged = assertOnlyAllowedChanges(arena, baseline, ledger)
    assert.deepEqual(arena.errorLogs(), [], 'error log lines')

    figures.flood = {
      limits: { commandsPerSocket: Limits.commandsPerSocket, refusalsPerSocket: Limits.refusalsPerSocket },
      framesSent: frames,
      answeredBeforeDisconnect: answers.length,
      answersByCode: codes,
      disconnected: true,
      legitClients: legitFigures,
      rowsChanged
    }
  })
})
