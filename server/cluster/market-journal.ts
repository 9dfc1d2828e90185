import type { Redis } from 'ioredis'
import type { MarketModelState, MarketState } from '../ticker/market.ts'
import type { MarketKeys } from './market-keys.ts'
import { decodeMarketState, decodeModelState, decodeStep, encodeMarketState, encodeModelState, encodeStep, WIRE_VERSION, type PublishedStep } from './market-wire.ts'

/**
 * Publishes a step only while the leader key still holds the publisher's token: a leader whose
 * lease expired (paused, cut off) changes nothing once another node has won it. The step, the
 * model state after it and, now and then, the whole market are written together, so they always
 * agree. n = 0 starts a series: the steps of an older one are dropped.
 */
const PUBLISH = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '0' then
  redis.call('DEL', KEYS[2])
else
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[6], ARGV[2] .. '-0', 'step', ARGV[3])
  redis.call('PEXPIRE', KEYS[2], ARGV[7])
end
redis.call('SET', KEYS[3], ARGV[4], 'PX', ARGV[7])
if ARGV[5] ~= '' then
  redis.call('SET', KEYS[4], ARGV[5], 'PX', ARGV[7])
else
  redis.call('PEXPIRE', KEYS[4], ARGV[7])
end
return 1`

/** Which series a saved state belongs to and how far along it is. */
export interface SavedHeader {
  /** Seed, listings and wire format of the market that saved it (see MarketHost.fingerprint). */
  fingerprint: string
  lineage: string
  epoch: number
  n: number
}

export interface Saved<S> extends SavedHeader {
  state: S
}

/** A saved state is its header's JSON, a newline, then the state (JSON holds no raw newline). */
const envelope = (header: SavedHeader, state: string | Buffer) =>
  Buffer.concat([Buffer.from(JSON.stringify(header) + '\n'), typeof state === 'string' ? Buffer.from(state) : state])
const open = <S>(bytes: Buffer | null, decode: (bytes: Buffer) => S): Saved<S> | null => {
  if (bytes === null) return null
  const split = bytes.indexOf(0x0a)
  const header = JSON.parse(bytes.subarray(0, split).toString()) as SavedHeader
  return { ...header, state: decode(bytes.subarray(split + 1)) }
}

type StreamEntries = [id: string, fields: string[]][]
const stepsOf = (entries: StreamEntries | null | undefined) => (entries ?? []).map(([, fields]) => decodeStep(fields[1]!))

export interface MarketJournalOptions {
  /** Hubbub's commands connection (fails fast while Redis is away). */
  redis: Redis
  keys: Pick<MarketKeys, 'leader' | 'steps' | 'head' | 'snapshot'>
  /** Steps the stream keeps (Redis trims a little later): more than lie between two snapshots. */
  keepSteps: number
  /** How long the market outlives its last step in Redis: a cluster stopped for longer starts a new one. */
  ttlMs: number
}

/**
 * The cluster's market in Redis: a stream of published steps, the model state after the latest
 * (what a successor continues) and a snapshot of the whole market every so often (what a node
 * that starts or fell behind loads, before the steps after it).
 */
export function createMarketJournal ({ redis, keys, keepSteps, ttlMs }: MarketJournalOptions) {
  const fingerprinted = (fingerprint: string) => `${fingerprint}/${WIRE_VERSION}`

  return {
    /**
     * Writes one step with the state after it (and the whole market when given), only while
     * `token` holds the lease; false when it does not. n = 0 starts a new series from `market`.
     */
    async publish ({ token, fingerprint, step, model, market }: {
      token: string
      fingerprint: string
      step: PublishedStep
      model: MarketModelState
      market?: MarketState
    }): Promise<boolean> {
      const header: SavedHeader = { fingerprint: fingerprinted(fingerprint), lineage: step.lineage, epoch: step.epoch, n: step.n }
      const published = await redis.eval(PUBLISH, 4, keys.leader, keys.steps, keys.head, keys.snapshot,
        token,
        step.n,
        step.n === 0 ? '' : encodeStep(step),
        envelope(header, encodeModelState(model)),
        market ? envelope(header, encodeMarketState(market)) : '',
        keepSteps,
        ttlMs)
      return Number(published) === 1
    },

    /** The model state after the latest step, if its fingerprint is this one. */
    async head (fingerprint: string) {
      const saved = open(await redis.getBuffer(keys.head), (bytes) => decodeModelState(bytes.toString()))
      return saved?.fingerprint === fingerprinted(fingerprint) ? saved : null
    },

    /** The latest snapshot of the whole market, if its fingerprint is this one. */
    async snapshot (fingerprint: string) {
      const saved = open(await redis.getBuffer(keys.snapshot), decodeMarketState)
      return saved?.fingerprint === fingerprinted(fingerprint) ? saved : null
    },

    /** The steps after step n still kept, oldest first. */
    async stepsAfter (n: number): Promise<PublishedStep[]> {
      return stepsOf(await redis.xrange(keys.steps, `(${n}-0`, '+') as StreamEntries)
    },

    /** The next steps after step n, waiting up to `blockMs` for one on `reader`, a connection of its own. */
    async waitForSteps (reader: Redis, n: number, blockMs: number): Promise<PublishedStep[]> {
      const streams = await reader.xread('COUNT', 1000, 'BLOCK', blockMs, 'STREAMS', keys.steps, `${n}-0`) as [string, StreamEntries][] | null
      return stepsOf(streams?.[0]?.[1])
    }
  }
}

export type MarketJournal = ReturnType<typeof createMarketJournal>
