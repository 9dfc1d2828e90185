import type { Quote } from '../../shared/ticker.ts'
import type { AlertRecord } from '../storage/types.ts'
import type { MarketModelState, MarketState, MarketTick } from './market.ts'
import type { PriceChange } from './price-model.ts'

/**
 * What a driver may do with a node's market: the ticker service gives it to the driver it was
 * built with. One node drives its own market (createTickerService's default); with several nodes
 * the elected leader steps it and every other node applies the leader's steps
 * (server/cluster/elected-market.ts).
 */
export interface MarketHost {
  readonly tickMs: number
  /** The same on every node of a cluster that may share a market: seed and listings. */
  readonly fingerprint: string
  /** One simulation step; nothing is delivered yet. */
  step: () => MarketTick
  /** Takes a step the leader made; nothing is delivered yet. */
  apply: (ts: number, changes: readonly PriceChange[]) => MarketTick
  /** Hands a tick to the listeners (the sockets), then to the alerts while this node evaluates them. */
  deliver: (tick: MarketTick) => void
  /** The current quotes that differ from the last ones delivered (a replica that loaded the market again sends them). */
  undelivered: () => Quote[]
  /** The whole market (snapshots), or what its next steps depend on (saved with every step). */
  state: () => MarketState
  modelState: () => MarketModelState
  /** Replaces the market with one continued from `state`. */
  restore: (state: MarketState) => void
  /** Continues the leader's model on this node's candles (see Market.resume). */
  resume: (state: MarketModelState) => void
  /**
   * Starts evaluating alerts on each delivered tick, every pending alert loaded from storage
   * (merged with those already indexed: loading again finds alerts created elsewhere), or stops
   * and forgets them.
   */
  evaluateAlerts: (on: boolean) => Promise<void>
  /** Another node created or deleted an alert: indexed or dropped while this node evaluates alerts. */
  alertCreated: (alert: AlertRecord) => void
  alertDeleted: (id: string) => void
}

/** Who moves a node's market. */
export interface MarketDriver {
  start: () => Promise<void>
  /** Stops moving the market (tests then step it by hand with the service's tick()). */
  stop: () => void
  close: () => Promise<void>
  /** Whether this node runs the simulation (always, alone). */
  readonly leading: boolean
  /** Tells the node that evaluates alerts about one created or deleted here. */
  alertCreated: (alert: AlertRecord) => void
  alertDeleted: (id: string) => void
}

export type MarketDriverFactory = (host: MarketHost) => MarketDriver
