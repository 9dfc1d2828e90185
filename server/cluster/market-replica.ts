import type { FastifyBaseLogger } from 'fastify'
import type { Redis } from 'ioredis'
import type { MarketHost } from '../ticker/market-driver.ts'
import type { MarketJournal } from './market-journal.ts'
import type { PublishedStep } from './market-wire.ts'

export interface MarketReplicaOptions {
  journal: MarketJournal
  host: MarketHost
  /** Opens the connection of the blocking reads (a connection of their own). */
  openReader: () => Redis
  log: Pick<FastifyBaseLogger, 'warn'>
  setTimeout: (callback: () => void, ms: number) => unknown
  /** How long one read waits for a step before looking whether the series moved on without it. */
  blockMs: number
  /** The wait before trying again after a failure, or while the cluster has no market yet. */
  retryMs: number
}

/**
 * This node's market as a replica of the leader's: loaded from the latest snapshot and the steps
 * after it, then every published step taken in order and delivered (each one frame per client,
 * as on the leader). A step of an older epoch than one already taken is dropped; a step that does
 * not follow the last one taken (missed, or of another series) means loading again.
 */
export function createMarketReplica ({ journal, host, openReader, log, setTimeout, blockMs, retryMs }: MarketReplicaOptions) {
  /** The series, last step and highest epoch taken; lineage null when the market must be loaded (again). */
  let lineage: string | null = null
  let applied = 0
  let epoch = 0
  let lastTs = 0
  /** Each start, stop or takeover starts a session; work of an older one stops at its next await. */
  let session = 0
  let reader: Redis | undefined
  let failing = false

  const pause = (ms: number) => new Promise<void>((resolve) => { setTimeout(resolve, ms) })

  /** Takes one step (delivering it when `deliver`); 'out of line' when a resync is due. */
  const take = (step: PublishedStep, deliver: boolean): 'taken' | 'dropped' | 'out of line' => {
    if (step.lineage !== lineage) return 'out of line'
    if (step.epoch < epoch) {
      log.warn({ epoch: step.epoch, highest: epoch, n: step.n }, 'market: dropped a step of an older epoch')
      return 'dropped'
    }
    if (step.n <= applied) return 'dropped'
    if (step.n !== applied + 1) return 'out of line'
    epoch = step.epoch
    applied = step.n
    lastTs = step.ts
    const tick = host.apply(step.ts, step.changes)
    if (deliver) host.deliver(tick)
    return 'taken'
  }

  /** Takes steps without a frame each (a backlog); false when one is out of line. */
  const catchUp = (steps: readonly PublishedStep[]) => {
    for (const step of steps) {
      if (take(step, false) === 'out of line') {
        lineage = null
        return false
      }
    }
    return true
  }

  /** After a backlog or a reload, one frame brings this node's clients up to date (none when nothing changed for them). */
  const deliverChanges = () => {
    const quotes = host.undelivered()
    if (quotes.length > 0) host.deliver({ ts: lastTs, quotes, candles: [], traded: [] })
  }

  /** Loads the latest snapshot and the steps after it; false when there is none yet (or the session ended). */
  const resync = async (own: number) => {
    const snapshot = await journal.snapshot(host.fingerprint)
    if (snapshot === null || own !== session) return false
    const steps = await journal.stepsAfter(snapshot.n)
    if (own !== session) return false
    host.restore(snapshot.state)
    lineage = snapshot.lineage
    applied = snapshot.n
    epoch = snapshot.epoch
    lastTs = snapshot.state.lastTs
    const complete = catchUp(steps)
    deliverChanges()
    return complete
  }

  /** A read that found nothing: the series may have been replaced, or the stream trimmed past us. */
  const checkSeries = async (own: number) => {
    const head = await journal.head(host.fingerprint)
    if (own === session && head !== null && (head.lineage !== lineage || head.n < applied)) lineage = null
  }

  const follow = async (own: number) => {
    for (;;) {
      if (own !== session) return
      try {
        if (lineage === null) {
          if (!await resync(own) && own === session) await pause(retryMs)
          continue
        }
        reader ??= openReader()
        const steps = await journal.waitForSteps(reader, applied, blockMs)
        if (own !== session) return
        if (steps.length === 0) await checkSeries(own)
        for (const step of steps) {
          if (take(step, true) === 'out of line') {
            lineage = null
            break
          }
        }
        if (failing) log.warn('market: following the leader again')
        failing = false
      } catch (err) {
        if (own !== session) return
        if (!failing) log.warn({ err }, 'market: cannot follow the leader; retrying')
        failing = true
        await pause(retryMs)
      }
    }
  }

  return {
    /** Loads the market if needed (one attempt, awaited), then follows the leader until stopped. */
    async start () {
      const own = ++session
      if (lineage === null) {
        try {
          await resync(own)
        } catch (err) {
          log.warn({ err }, 'market: cannot load the cluster\'s market yet; retrying')
        }
      }
      follow(own)
    },

    stop () {
      session++
    },

    /** The market must be loaded again (this node stepped its own past what was published). */
    forget () {
      lineage = null
    },

    /**
     * Stops following and brings the market up to step `n` of series `lineage`, the latest
     * published (no step can follow while this node holds the lease); false when it cannot.
     */
    async syncTo ({ lineage: target, n }: { lineage: string, n: number }) {
      const own = ++session
      if (lineage !== target || applied > n) return (await resync(own)) && lineage === target && applied === n
      const steps = await journal.stepsAfter(applied)
      if (own !== session) return false
      const complete = catchUp(steps)
      deliverChanges()
      return complete && lineage === target && applied === n
    },

    close () {
      session++
      reader?.disconnect()
    },

    get lineage () { return lineage },
    get applied () { return applied }
  }
}

export type MarketReplica = ReturnType<typeof createMarketReplica>
