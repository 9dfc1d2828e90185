import type { Budget } from '../../shared/limits.ts'
import { createTokenBucketLimiter } from '../rate-limit/token-bucket.ts'

interface CommandBudgets {
  commandsPerSocket: Budget
  commandsPerUser: Budget
  commandsPerAddress: Budget
  refusalsPerSocket: Budget
}

/** Who pays for a command: the socket, and its user (or, with no user, its address). */
interface Payer {
  socketId: string
  userId: string | null
  address: string
}

type Charge =
  | { ok: true }
  | { ok: false, retryAfterMs: number, disconnect: boolean }

/**
 * The command budgets of every namespace: each command draws its cost from its socket's bucket
 * and from its user's (or anonymous address's) bucket, or is refused. A socket that keeps
 * sending after being refused runs out of refusals and is to be disconnected.
 *
 * Kept in this node's memory and synchronous, on purpose, with several nodes too: a flood is
 * refused at the price of a map lookup, never a round trip. A socket lives on one node, so its
 * budget is whole; a user's (or address's) sockets spread over several nodes draw on each
 * node's budget. The named limits that must hold across nodes are `RateLimiter`s (rate-limit/).
 */
export function createCommandBudget (budgets: CommandBudgets, now: () => number = Date.now) {
  const perSocket = createTokenBucketLimiter({ ...budgets.commandsPerSocket, now })
  const perUser = createTokenBucketLimiter({ ...budgets.commandsPerUser, now })
  const perAddress = createTokenBucketLimiter({ ...budgets.commandsPerAddress, now })
  const refusals = createTokenBucketLimiter({ ...budgets.refusalsPerSocket, now })

  return {
    charge ({ socketId, userId, address }: Payer, cost: number): Charge {
      const [shared, sharedKey] = userId === null ? [perAddress, address] : [perUser, userId]
      // Both buckets must have the tokens before either gives any, so a refusal costs nothing.
      const wait = Math.max(perSocket.retryAfterMs(socketId, cost), shared.retryAfterMs(sharedKey, cost))
      if (wait === 0) {
        perSocket.take(socketId, cost)
        shared.take(sharedKey, cost)
        return { ok: true }
      }
      return { ok: false, retryAfterMs: Math.max(wait, 1), disconnect: !refusals.take(socketId) }
    }
  }
}

export type CommandBudget = ReturnType<typeof createCommandBudget>
