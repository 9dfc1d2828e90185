import type { AppendResult, PendingAppend } from './types.ts'

/** What became of one append of a group commit. */
export type AppendOutcome = { ok: true, result: AppendResult } | { ok: false, error: unknown }

/** Settles each waiting append of a committed batch with its outcome (the same order). */
export function settleAppends (batch: PendingAppend[], outcomes: AppendOutcome[]) {
  batch.forEach(({ resolve, reject }, i) => {
    const outcome = outcomes[i]!
    if (outcome.ok) resolve(outcome.result)
    else reject(outcome.error)
  })
}
