import { AppError } from '../../errors.ts'

/** Socket errors, and the driver's own for a connection it could not open or lost. */
const connectionCodes = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE',
  'CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_DESTROYED'
])
/** SQLSTATEs of a server that is going away or full: shutting down, crashed, starting, too many connections. */
const serverCodes = new Set(['57P01', '57P02', '57P03', '53300'])

/**
 * Whether an error means PostgreSQL cannot be reached right now (as opposed to a query that is
 * wrong). `CONNECTION_ENDED`, a query after our own `close()`, is not one: that is a bug.
 */
export function isUnreachable (error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && (connectionCodes.has(code) || serverCodes.has(code) || code.startsWith('08'))
}

const unavailable = (cause: unknown) =>
  Object.assign(new AppError('unavailable', 'The database does not answer right now. Try again shortly.'), { cause })

/**
 * The store with every method's connection failures turned into `unavailable` AppErrors, the
 * one place the driver's errors are mapped: callers answer 503 and may retry, instead of
 * `internal`.
 */
export function mapUnreachable<T extends object> (store: T): T {
  const guarded = Object.entries(store).map(([name, method]) => [name, async (...args: unknown[]) => {
    try {
      return await (method as (...args: unknown[]) => Promise<unknown>).apply(store, args)
    } catch (error) {
      throw isUnreachable(error) ? unavailable(error) : error
    }
  }])
  return Object.fromEntries(guarded) as T
}
