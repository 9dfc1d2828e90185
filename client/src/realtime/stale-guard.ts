/**
 * Drops answers that arrive too late: a request takes a stamp when it goes out, and once the
 * guard moves on (sign-in, sign-out, a reconnect, a newer request) its answer no longer applies.
 */
export const createStaleGuard = () => {
  let generation = 0
  const stamp = () => {
    const taken = generation
    return () => taken !== generation
  }
  return {
    /** Every answer to a request sent before now is stale. */
    invalidate: () => { generation++ },
    /** Taken as a request goes out; the function returned says whether its answer is stale. */
    stamp,
    /** A request that supersedes every earlier one: only the newest answer applies. */
    supersede: () => {
      generation++
      return stamp()
    }
  }
}

export type StaleGuard = ReturnType<typeof createStaleGuard>
