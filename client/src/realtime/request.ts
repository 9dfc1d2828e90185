import type { Socket } from 'socket.io-client'
import type { AckResult } from '../../../shared/protocol.ts'

/** A command as the shared event maps declare it: one payload object and an ack. */
type Command = (payload: never, ack: never) => void
// Any listener map: request() only emits, so what the socket listens to does not matter.
type EventsMap = Record<string, (...args: any[]) => void>
type PayloadOf<F> = F extends (payload: infer P, ack: never) => void ? P : never
type DataOf<F> = F extends (payload: never, ack: (result: AckResult<infer D>) => void) => void ? D : never

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000

const isAckResult = (value: unknown): value is AckResult<unknown> =>
  typeof value === 'object' && value !== null && 'ok' in value && typeof value.ok === 'boolean'

/**
 * Sends a command and resolves with its ack. Never rejects: no answer in time (or a lost
 * connection) is `unavailable`, so callers handle every outcome as an `AckResult`.
 */
export const request = <Emit extends { [K in keyof Emit]: Command }, K extends keyof Emit & string>(
  socket: Socket<EventsMap, Emit>,
  event: K,
  payload: PayloadOf<Emit[K]>,
  timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS
): Promise<AckResult<DataOf<Emit[K]>>> => {
  const untyped = socket as unknown as Socket
  return new Promise((resolve) => {
    untyped.timeout(timeoutMs).emit(event, payload, (error: Error | null, result: unknown) => {
      if (error) {
        resolve({ ok: false, error: { code: 'unavailable', message: `No answer to ${event} within ${timeoutMs} ms.` } })
      } else if (isAckResult(result)) {
        resolve(result as AckResult<DataOf<Emit[K]>>)
      } else {
        resolve({ ok: false, error: { code: 'internal', message: `Malformed answer to ${event}.` } })
      }
    })
  })
}
