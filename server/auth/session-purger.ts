import type { SessionStore } from '../storage/types.ts'

/** Runs `run` every `ms` until the returned stop is called; the default never keeps the process alive. */
export type Schedule = (run: () => void, ms: number) => () => void

const unrefInterval: Schedule = (run, ms) => {
  const timer = setInterval(run, ms)
  timer.unref()
  return () => clearInterval(timer)
}

export interface SessionPurgerDeps {
  sessions: Pick<SessionStore, 'deleteExpired'>
  now: () => number
  /** How often expired sessions are deleted. */
  everyMs: number
  onPurged?: (deleted: number) => void
  onError: (error: unknown) => void
  /** Injectable so tests run the timer by hand. */
  schedule?: Schedule
}

/**
 * Deletes expired sessions at start and then every `everyMs`: an expired session is already
 * refused, but its row (a token hash and a user id) would otherwise stay forever.
 */
export function createSessionPurger ({ sessions, now, everyMs, onPurged, onError, schedule = unrefInterval }: SessionPurgerDeps) {
  let cancel: (() => void) | null = null
  let inFlight: Promise<void> = Promise.resolve()
  const purge = () => {
    inFlight = inFlight.then(async () => {
      try {
        const deleted = await sessions.deleteExpired(now())
        onPurged?.(deleted)
      } catch (error) {
        onError(error)
      }
    })
    return inFlight
  }
  return {
    /** Purges now, then on the timer; resolves after the first purge. Idempotent. */
    async start () {
      if (cancel) return
      cancel = schedule(purge, everyMs)
      await purge()
    },
    /** Stops the timer and waits for a purge still running, so storage can close after it. Idempotent. */
    async stop () {
      cancel?.()
      cancel = null
      await inFlight
    }
  }
}
