import type { MarketTimers } from '../../server/cluster/elected-market.ts'
import { systemTimers } from '../../server/cluster/elected-market.ts'

/**
 * The cluster market's timers for one in-process node that a test can pause, as a stopped
 * process is: while paused no callback runs; on resume each one that fell due runs once, in the
 * order it fell due (as Node runs overdue timers). The clock either runs on meanwhile (a stopped
 * process: it sees the time lost) or stands still (a paused virtual machine: it does not).
 */
export function createPausableTimers () {
  let paused = false
  let clockStopped = false
  let stoppedAt = 0
  /** Time the clock did not see, from pauses that stopped it. */
  let unseen = 0
  const due = new Set<() => void>()
  const guard = (callback: () => void) => {
    const run = () => {
      if (!paused) return callback()
      // Each timer once: an interval due ten times during a pause fires once after it.
      due.add(run)
    }
    return run
  }
  const timers: MarketTimers = {
    now: () => (clockStopped ? stoppedAt : systemTimers.now() - unseen),
    setTimeout: (callback, ms) => systemTimers.setTimeout(guard(callback), ms),
    clearTimeout: systemTimers.clearTimeout,
    setInterval: (callback, ms) => systemTimers.setInterval(guard(callback), ms),
    clearInterval: systemTimers.clearInterval
  }
  return {
    timers,
    pause ({ clock }: { clock: 'runs' | 'stops' }) {
      if (clock === 'stops') {
        stoppedAt = timers.now()
        clockStopped = true
      }
      paused = true
    },
    resume () {
      if (clockStopped) {
        unseen = systemTimers.now() - stoppedAt
        clockStopped = false
      }
      paused = false
      const overdue = [...due]
      due.clear()
      for (const run of overdue) run()
    }
  }
}
