import type { ErrorCode, ErrorInfo } from '../shared/protocol.ts'

/** An expected failure with a public code and a message safe to show to the caller. */
export class AppError extends Error {
  readonly code: ErrorCode
  /** With `rate_limited`: how long until a retry can succeed (HTTP also sends it as Retry-After). */
  readonly retryAfterMs: number | undefined
  constructor (code: ErrorCode, message: string, { retryAfterMs }: { retryAfterMs?: number } = {}) {
    super(message)
    this.code = code
    this.retryAfterMs = retryAfterMs
  }

  toJSON (): ErrorInfo {
    return { code: this.code, message: this.message, ...(this.retryAfterMs !== undefined && { retryAfterMs: this.retryAfterMs }) }
  }
}

/** Why the server cannot start (a bad setting, a database that does not answer): one line for the operator. */
export class StartupError extends Error {}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError

/** What a caller may see of any error: AppErrors as they are, everything else as `internal`. */
export const publicError = (error: unknown): ErrorInfo => isAppError(error)
  ? error.toJSON()
  : { code: 'internal', message: 'Something went wrong on our side. Try again.' }
