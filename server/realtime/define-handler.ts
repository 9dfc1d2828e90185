import type { FastifyBaseLogger } from 'fastify'
import type { Socket } from 'socket.io'
import type { Static } from 'typebox'
import { Compile } from 'typebox/compile'
import type { AckResult, CommandCatalog, CommandSpec } from '../../shared/protocol.ts'
import { AppError, isAppError, publicError } from '../errors.ts'
import type { FastifyInstance } from 'fastify'
import { describeSchemaError } from '../validation.ts'
import type { CommandBudget } from './command-budget.ts'
import type { SocketData } from './types.ts'

export interface Handler<S extends CommandSpec = CommandSpec, K = never> {
  spec: S
  check: ReturnType<typeof Compile>
  run: (payload: Static<S['payload']>, socket: K) => Promise<Static<S['data']>> | Static<S['data']>
}

/** A command handler: its payload is validated by the compiled shared schema before `run` sees it. */
export const defineHandler = <S extends CommandSpec, K>(spec: S, run: Handler<S, K>['run']): Handler<S, K> =>
  ({ spec, check: Compile(spec.payload), run })

/** One handler for every command of a catalog; the compiler says when one is missing. */
export type Handlers<C extends CommandCatalog, K> = { [E in keyof C]: Handler<C[E], K> }

export interface BindContext {
  ns: string
  log: FastifyBaseLogger
  metrics: FastifyInstance['metrics']
  /** The command budgets, one for every namespace: a user's sockets share theirs. */
  budget: CommandBudget
}

type AnyHandlers<K> = Record<string, Handler<CommandSpec, K>>
type Dispatch<K> = (this: K, event: unknown, ...args: unknown[]) => void
type AckFn = (result: AckResult<unknown>) => void

/** Metric label of events that are not commands (their names are the sender's, unbounded). */
const UNKNOWN_EVENT = '(unknown)'

/**
 * The listener that runs a namespace's commands: charge, validate, run, ack, count, log. Every
 * event draws its cost from the command budget first, so a flood is refused before it costs a
 * validation, and a socket that goes on after being refused is disconnected. An unknown command
 * with an ack is answered `not_found`; a command without an ack callback is ignored (unless its
 * spec allows that); nothing thrown crosses the wire except an `AckResult` error with a public code.
 *
 * Made once per namespace and given to every socket with `socket.onAny(dispatch)` (Socket.IO
 * calls it with the socket as `this`), rather than one closure per command per socket: with tens
 * of thousands of idle sockets those closures were a large part of what a connection costs.
 */
export function createDispatcher<K extends Socket<never, never, never, SocketData>> (handlers: AnyHandlers<K>, { ns, log, metrics, budget }: BindContext): Dispatch<K> {
  const byEvent = new Map(Object.entries(handlers))

  const refuse = (event: string, error: AppError, ack: AckFn | undefined) => {
    metrics.eventsFailed.inc({ event, code: error.code })
    ack?.({ ok: false, error: error.toJSON() })
  }

  const handle = async (socket: K, event: string, handler: Handler<CommandSpec, K>, args: unknown[], ack: AckFn | undefined) => {
    const started = performance.now()
    const payload = args[0]
    let result: AckResult<unknown>
    if (args.length !== 1 || !handler.check.Check(payload)) {
      result = { ok: false, error: { code: 'invalid_payload', message: describeSchemaError(handler.check.Errors(payload)[0]) } }
    } else {
      try {
        result = { ok: true, data: await handler.run(payload, socket) }
      } catch (error) {
        if (!isAppError(error)) log.error({ err: error, ns, event, socketId: socket.id }, 'handler failed')
        result = { ok: false, error: publicError(error) }
      }
    }
    if (result.ok) metrics.eventsHandled.inc({ event })
    else {
      metrics.eventsFailed.inc({ event, code: result.error.code })
      log.debug({ ns, event, socketId: socket.id, code: result.error.code }, 'command refused')
    }
    metrics.ackLatency.observe({ event }, (performance.now() - started) / 1000)
    ack?.(result)
  }

  return function (this: K, name: unknown, ...args: unknown[]) {
    // Socket.IO hands `onAny` listeners events that were read after the socket left (a client's
    // "leave namespace" and an event in one read): running them would act for a socket whose
    // cleanup already ran, such as a chat:join whose presence nobody would ever remove.
    if (!this.connected) return
    const handler = typeof name === 'string' ? byEvent.get(name) : undefined
    const event = handler ? name as string : UNKNOWN_EVENT
    const ack = typeof args.at(-1) === 'function' ? args.pop() as AckFn : undefined
    const runs = handler !== undefined && (ack !== undefined || handler.spec.ackOptional === true)
    const charge = budget.charge({ socketId: this.id, userId: this.data.user?.id ?? null, address: this.data.address }, runs ? handler.spec.cost ?? 1 : 1)
    if (!charge.ok) {
      refuse(event, new AppError('rate_limited', 'Too many commands. Slow down.', { retryAfterMs: charge.retryAfterMs }), ack)
      if (charge.disconnect) {
        log.warn({ ns, socketId: this.id, userId: this.data.user?.id }, 'socket disconnected: it kept sending after being rate limited')
        this.disconnect(true)
      }
      return
    }
    if (!handler) return refuse(event, new AppError('not_found', 'No such command.'), ack)
    if (runs) handle(this, event, handler, args, ack).catch((err) => log.error({ err, ns, event, socketId: this.id }, 'handler failed'))
  }
}
