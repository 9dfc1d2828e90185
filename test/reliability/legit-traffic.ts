import type { Socket } from 'socket.io-client'
import { connect, send } from '../helpers/sockets.ts'

interface Chatter { token: string, user: { id: string, username: string } }

/** What one legitimate user sent and received. */
export interface LegitFigures {
  username: string
  /** Messages sent, and how many were acked `ok` (every one must be). */
  sent: number
  acked: number
  /** Messages of the room by others since joining, and how many arrived as `chat:message` pushes. */
  pushesExpected: number
  pushesReceived: number
  /** Seqs neither acked to this user nor pushed to them, and seqs pushed more than once. */
  missing: number[]
  duplicates: number[]
  /** Answers other than `ok` to this user's own commands. */
  failures: string[]
}

/**
 * Two legitimate users chatting in one room, each on a socket of their own, while an attacker
 * does its worst: they send in turn, each send acked, until stopped (or `perUser` messages each).
 * On `stop()` each must have every seq of the room since they joined exactly once: their own
 * through acks, everyone else's (the attacker's accepted messages too) through pushes.
 */
export async function startLegitTraffic (base: string, roomId: string, chatters: Chatter[], { perUser = Infinity, roundEvery, onAccepted }: {
  perUser?: number
  /** Paced by the attacker: a round after every `roundEvery` calls of `tick()` (unpaced without it). */
  roundEvery?: number
  /** Called with every `ok` ack of a legitimate command (the storage ledger records what it may change). */
  onAccepted?: (userId: string, event: string, payload: unknown, data: any) => void
} = {}) {
  const views = await Promise.all(chatters.map(async (who) => {
    const socket = await connect(base, '/chat', { token: who.token })
    const view = { who, socket, from: 0, sent: 0, acked: new Set<number>(), pushed: [] as number[], failures: [] as string[] }
    socket.on('chat:message', ({ message }: { message: { roomId: string, seq: number } }) => {
      if (message.roomId === roomId) view.pushed.push(message.seq)
    })
    const joined = await send(socket, 'chat:join', { roomId })
    if (!joined.ok) throw new Error(`${who.user.username} could not join ${roomId}: ${JSON.stringify(joined)}`)
    view.from = joined.data.room.lastSeq
    onAccepted?.(who.user.id, 'chat:join', { roomId }, joined.data)
    return view
  }))

  // An object, as stop() and tick() change it from outside the loop.
  const control = { running: true, ticks: 0, wake: () => {} }
  /** Resolves when the next round may start: at once unpaced, else after `roundEvery` ticks (or on stop). */
  const paced = async () => {
    if (roundEvery === undefined) return
    while (control.running && control.ticks < roundEvery) await new Promise<void>((resolve) => { control.wake = resolve })
    control.ticks = 0
  }
  const loop = (async () => {
    for (let round = 0; control.running && round < perUser; round++) {
      await paced()
      if (!control.running) break
      for (const [index, view] of views.entries()) {
        view.sent++
        const payload = { roomId, text: `legit ${index} ${round}`, clientId: `legit-${index}-${round}` }
        const result = await send(view.socket, 'chat:send', payload)
        if (result.ok) {
          view.acked.add(result.data.message.seq)
          onAccepted?.(view.who.user.id, 'chat:send', payload, result.data)
        } else view.failures.push(`chat:send: ${JSON.stringify(result)}`)
      }
    }
  })()

  return {
    /** Resolves when `perUser` rounds are done (never, without a `perUser`). */
    done: loop,
    /** One more frame of the attacker: with `roundEvery`, what lets the next round go. */
    tick () {
      control.ticks++
      control.wake()
    },
    /** Stops sending and returns each user's figures, checked against the room's last seq. */
    async stop (): Promise<LegitFigures[]> {
      control.running = false
      control.wake()
      await loop
      return Promise.all(views.map(async (view) => {
        // A round trip after every send that was acked: any push sent before it has arrived.
        const newest = await send(view.socket, 'chat:history', { roomId, limit: 1 })
        if (!newest.ok) view.failures.push(`chat:history: ${JSON.stringify(newest)}`)
        const lastSeq = newest.ok ? newest.data.messages.at(-1)?.seq ?? view.from : view.from
        const seen = new Set([...view.acked, ...view.pushed])
        const missing = []
        for (let seq = view.from + 1; seq <= lastSeq; seq++) if (!seen.has(seq)) missing.push(seq)
        return {
          username: view.who.user.username,
          sent: view.sent,
          acked: view.acked.size,
          pushesExpected: lastSeq - view.from - view.acked.size,
          pushesReceived: view.pushed.length,
          missing,
          duplicates: view.pushed.filter((seq, i) => view.pushed.indexOf(seq) !== i),
          failures: view.failures
        }
      }))
    },
    sockets: views.map((view) => view.socket) as Socket[],
    close () {
      control.running = false
      control.wake()
      for (const view of views) view.socket.close()
    }
  }
}
