import fc from 'fast-check'
import { after, before, describe, it } from 'node:test'
import { Namespaces, PROTOCOL_VERSION } from '../../shared/protocol.ts'
import { Limits } from '../../shared/limits.ts'
import { MAX_PENDING_ALERTS } from '../../shared/ticker.ts'
import { openRawSocket, PacketType, type Packet } from '../helpers/raw-socket.ts'
import { createFrameRunner, type FrameRunner, type Outcome } from './frame-runner.ts'
import { fuzzFrames, predictCommand, predictRaw, rateLimitedCommands, type FuzzFrame, type Prediction } from './fuzz-frames.ts'
import { startLegitTraffic } from './legit-traffic.ts'
import { assertNoErrorsNorPollution, testsOfTheAftermath } from './reliability-checks.ts'
import { tally, writeReliabilityFigures } from './reliability-report.ts'
import type { Pools } from './schema-arbitrary.ts'
import { roomyLimits, startArena, type Arena } from './start-arena.ts'
import { createLedger, snapshotStorage, type Snapshot } from './storage-changes.ts'

/**
 * The seed: FUZZ_SEED replays a run (fast-check prints the seed, and the path to the failing
 * frame, when a property fails); without it every run tries new frames.
 */
const seed = process.env.FUZZ_SEED === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.FUZZ_SEED)
const frames = Number(process.env.FUZZ_FRAMES ?? 5000)

const figures: Record<string, unknown> = { seed }
// The arena's budgets, as the server is configured with them: what they leave finite, the fuzz may run into.
const limits = { ...Limits, ...roomyLimits }
const rateLimited = rateLimitedCommands(limits)
after(() => writeReliabilityFigures('fuzz', figures))

describe('a seeded fuzz of generated frames', () => {
  let arena: Arena
  let runner: FrameRunner
  let pools: Pools
  let legit: Awaited<ReturnType<typeof startLegitTraffic>>
  let baseline: Snapshot
  const ledger = createLedger()
  const prototypeNames = Object.getOwnPropertyNames(Object.prototype)
  const counts = { byShape: {} as Record<string, number>, byNamespace: {} as Record<string, number>, byCommand: {} as Record<string, number>, byOutcome: {} as Record<string, number> }
  let [tried, answered, closed] = [0, 0, 0]

  before(async () => {
    // Roomy budgets (see roomyLimits): the fuzz tests the answer each frame gets, not the budget.
    // The attacker starts a few alerts short of the maximum, so that creates pass, then conflict.
    arena = await startArena({ limits, attackerAlerts: MAX_PENDING_ALERTS - 5 })
    const { mallory, alice, bob } = arena.users
    runner = createFrameRunner(arena.url, { mallory: { token: mallory.token, protocolVersion: PROTOCOL_VERSION }, anonymous: { protocolVersion: PROTOCOL_VERSION } })
    const { rooms, messages, notifications, alerts, symbols } = arena
    const someSymbols = [...symbols.slice(0, 3), 'ZZZZ']
    pools = {
      roomId: [rooms.arena, rooms.carol, rooms.direct, 'general', 'random', 'no-such-room'],
      messageId: [...messages.mallory, messages.malloryDeleted, messages.carol, messages.alice, messages.direct, 'no-such-message'],
      id: [...alerts.mallory.slice(0, 3), alerts.carol, 'no-such-alert'],
      ids: [...notifications.mallory, ...notifications.carol],
      before: [...notifications.mallory, ...notifications.carol],
      symbol: someSymbols,
      symbols: someSymbols,
      text: ['hello', '@alice look at this', '@carol are you there', '  padded  ', '\u200bhidden\u200b'],
      clientId: ['fuzz-fixed-0001', 'legit-0-0']
    }
    baseline = snapshotStorage(arena.dbFile)
    // A round of legitimate messages every few frames: unpaced, their thousands of writes would
    // take most of the time the fuzz is given.
    legit = await startLegitTraffic(arena.url, arena.rooms.arena, [alice, bob], { roundEvery: 5, onAccepted: ledger.accept })
  })
  after(async () => {
    legit?.close()
    await runner?.close()
    await arena?.close()
  })

  /** Pushes of any namespace, and answers to CONNECTs the frame itself made: what a raw frame may bring besides its outcome. */
  const sideEffect = (packet: Packet) => packet.type === PacketType.CONNECT || packet.type === PacketType.CONNECT_ERROR || packet.type === PacketType.EVENT

  const fire = async (frame: FuzzFrame): Promise<{ prediction: Prediction, outcome: Outcome, event?: unknown, payload?: unknown }> => {
    if (frame.kind === 'command') {
      const outcome = await runner.emit(frame.who, frame.ns, frame.args, frame.ack)
      return { prediction: predictCommand(frame, outcome.bytes, rateLimited), outcome, event: frame.args[0], payload: frame.args[1] }
    }
    const prediction = predictRaw(frame.text, rateLimited)
    const socket = await openRawSocket(arena.url)
    try {
      for (const ns of [Namespaces.chat, Namespaces.notifications]) {
        const answer = await socket.connect(ns, { token: arena.users.mallory.token })
        if (answer.kind !== 'packet' || !answer.packet.ok) throw new Error(`mallory could not connect to ${ns}: ${JSON.stringify(answer)}`)
      }
      const outcome = await runner.outcomeOf(socket, prediction.ack?.ns ?? Namespaces.chat, () => {
        socket.sendText(frame.text)
        return prediction.ack?.id
      }, { probeNs: prediction.probeNs, allowed: sideEffect })
      return { prediction, outcome, event: prediction.packet?.data?.[0], payload: prediction.packet?.data?.[1] }
    } finally {
      await socket.close()
    }
  }

  it(`answers ${frames} generated frames as the protocol says, never internal`, async (t) => {
    t.diagnostic(`FUZZ_SEED=${seed} (set it to replay this run)`)
    const started = performance.now()
    await fc.assert(fc.asyncProperty(fuzzFrames(pools), async (frame) => {
      legit.tick()
      const { prediction, outcome, event, payload } = await fire(frame)
      const seen = outcome.seen
      tried++
      tally(counts.byShape, frame.kind === 'raw' ? `raw: ${frame.shape}` : frame.shape)
      tally(counts.byNamespace, frame.kind === 'raw' ? 'raw frames' : `${frame.ns}${frame.who === 'anonymous' ? ' (anonymous)' : ''}`)
      if (frame.kind === 'command' && frame.shape !== 'odd name') tally(counts.byCommand, `${frame.ns} ${String(event)}`)
      tally(counts.byOutcome, seen)
      if (outcome.result !== undefined) answered++
      if (seen === 'closed') closed++
      if (seen === 'ok' && typeof event === 'string' && (frame.kind === 'raw' || frame.who === 'mallory')) {
        ledger.accept(arena.users.mallory.user.id, event, payload, (outcome.result as { data: unknown }).data)
      }

      const expected = prediction.outcome === 'answer' ? prediction.results.join(' or ') || 'a documented answer' : prediction.outcome
      const matches = prediction.outcome === 'answer'
        ? seen !== 'closed' && seen !== 'silence' && seen !== 'internal' && (prediction.results.length === 0 || (prediction.results as string[]).includes(seen))
        : seen === prediction.outcome
      const problems = [...outcome.problems, ...outcome.unexpected.map((packet) => `unexpected ${JSON.stringify(packet).slice(0, 300)}`)]
      if (!matches || problems.length > 0) {
        throw new Error(`expected ${expected} (${prediction.why}), saw ${seen} ${JSON.stringify(outcome.result)?.slice(0, 300) ?? ''}${problems.length ? `; ${problems.join('; ')}` : ''}`)
      }
    }), { seed, numRuns: frames })
    figures.durationMs = Math.round(performance.now() - started)
  })

  testsOfTheAftermath(() => ({ arena, legit, baseline, ledger }), figures)

  it('logged no error and polluted no prototype', () => {
    assertNoErrorsNorPollution(arena, prototypeNames)
    Object.assign(figures, { frames: tried, ...counts, answered, connectionsClosed: closed })
  })
})
