import type { FastifyBaseLogger } from 'fastify'
import type { Socket } from 'socket.io'
import type { Static } from 'typebox'
import { Compile } from 'typebox/compile'
import type { AckResult, CommandCatalog, CommandSpec } from '../../shared/protocol.ts'
import { isAppError, publicError } from '../errors.ts'
import type { FastifyInstance } from 'fastify'
import { describeSchemaError } from '../validation.ts'

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
}

type AnyHandlers<K> = Record<string, Handler<CommandSpec, K>>
type Dispatch<K> = (this: K, event: string, ...args: unknown[]) => void

/**
 * The listener that runs a namespace's commands: validate, run, ack, count, log. A command
 * without an ack callback is ignored (unless its spec allows that); nothing thrown crosses the
 * wire except an `AckResult` error with a public code.
 *
 * Made once per namespace and given to every socket with `socket.onAny(dispatch)` (Socket.IO
 * calls it with the socket as `this`), rather than one closure per command per socket: with tens
 * of thousands of idle sockets those closures were a large part of what a connection costs.
 */
export function createDispatcher<K extends Socket> (handlers: AnyHandlers<K>, { ns, log, metrics }: BindContext): Dispatch<K> {
  const byEvent = new Map(Object.entries(handlers))

  const handle = async (socket: K, event: string, handler: Handler<CommandSpec, K>, args: unknown[]) => {
    const ack = typeof args.at(-1) === 'function' ? args.pop() as (result: AckResult<unknown>) => void : undefined
    if (!ack && !handler.spec.ackOptional) return
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

  return function (this: K, event: string, ...args: unknown[]) {
    // Events with no handler (unknown names) are ignored, as they were without a listener.
    const handler = byEvent.get(event)
    if (handler) handle(this, event, handler, args).catch((err) => log.error({ err, ns, event, socketId: this.id }, 'handler failed'))
  }
}
