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

/** How often a command refused as `rate_limited` is sent again, and the longest wait for that. */
const RATE_LIMIT_RETRIES = 3
const MAX_RETRY_WAIT_MS = 10_000
/** When each socket may next send a retry: refused commands take turns instead of all retrying at once. */
const nextRetryAt = new WeakMap<object, number>()
/** The wait before a retry: the server's figure, after the retries already waiting on this socket. */
const retryDelay = (socket: object, waitMs: number) => {
  const now = Date.now()
  const at = Math.max(now + waitMs, (nextRetryAt.get(socket) ?? 0) + waitMs)
  nextRetryAt.set(socket, at)
  return at - now
}

/**
 * Sends a command and resolves with its ack. Never rejects: no answer in time (or a lost
 * connection) is `unavailable`, so callers handle every outcome as an `AckResult`. A command
 * refused as `rate_limited` ran nothing on the server, so it is sent again after the wait the
 * server named (a few times, while connected): a burst of joins after a reconnect goes through.
 */
export const request = <Emit extends { [K in keyof Emit]: Command }, K extends keyof Emit & string>(
  socket: Socket<EventsMap, Emit>,
  event: K,
  payload: PayloadOf<Emit[K]>,
  timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS
): Promise<AckResult<DataOf<Emit[K]>>> => {
  const untyped = socket as unknown as Socket
  const once = () => new Promise<AckResult<DataOf<Emit[K]>>>((resolve) => {
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
  return (async () => {
    for (let retries = 0; ; retries++) {
      const result = await once()
      const wait = result.ok ? undefined : result.error.retryAfterMs
      if (result.ok || result.error.code !== 'rate_limited' || wait === undefined || wait > MAX_RETRY_WAIT_MS ||
        retries === RATE_LIMIT_RETRIES || !untyped.connected) return result
      await new Promise((resolve) => setTimeout(resolve, retryDelay(untyped, wait)))
    }
  })()
}
