import type { ErrorCode, ErrorInfo } from '../shared/protocol.ts'

/** An expected failure with a public code and a message safe to show to the caller. */
export class AppError extends Error {
  readonly code: ErrorCode
  /** With `rate_limited`: how long until the same call can pass. */
  readonly retryAfterMs: number | undefined
  constructor (code: ErrorCode, message: string, retryAfterMs?: number) {
    super(message)
    this.code = code
    this.retryAfterMs = retryAfterMs
  }

  toJSON (): ErrorInfo {
    return this.retryAfterMs === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, retryAfterMs: Math.ceil(this.retryAfterMs) }
  }
}

/** Why the server cannot start (a bad setting, a database that does not answer): one line for the operator. */
export class StartupError extends Error {}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError

/** What a caller may see of any error: AppErrors as they are, everything else as `internal`. */
export const publicError = (error: unknown): ErrorInfo => isAppError(error)
  ? error.toJSON()
  : { code: 'internal', message: 'Something went wrong on our side. Try again.' }
