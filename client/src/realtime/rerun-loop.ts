/**
 * Runs `pass` one at a time. A call while a pass runs makes it go round once more when done (so
 * a burst of calls costs at most two passes), and callers share the promise of the running loop.
 */
export const createRerunLoop = (pass: () => Promise<void>) => {
  let running: Promise<void> | null = null
  let again = false
  const run = (): Promise<void> => {
    if (running) {
      again = true
      return running
    }
    running = (async () => {
      try {
        do {
          again = false
          await pass()
        } while (again)
      } finally {
        running = null
      }
    })()
    return running
  }
  return {
    run,
    isRunning: () => running !== null,
    /** A pass on its way may predate a change: go round once more (nothing starts if none runs). */
    rerunIfRunning: () => { if (running) again = true },
    /** Forgets a round asked for (the state it would read was reset). */
    cancelRerun: () => { again = false }
  }
}
