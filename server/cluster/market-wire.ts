import { endianness } from 'node:os'
import type { Quote } from '../../shared/ticker.ts'
import type { MarketModelState, MarketState } from '../ticker/market.ts'
import type { PriceChange, SymbolModelState } from '../ticker/price-model.ts'

/**
 * How the market travels between nodes through Redis: JSON of arrays rather than of objects, a
 * quote without its listing's name and sector (every node has the listings and puts them back).
 * A step is sent several times a second and the model state saved with each: this keeps them
 * at about a third of their object form. Candles travel as binary numbers.
 */

const bigEndian = endianness() === 'BE'

/** Changes when the encoding does: nodes then start a new series rather than misread an old one. */
export const WIRE_VERSION = 3

/** One step of the leader's market, as published to every node. */
export interface PublishedStep {
  /** The series it belongs to: a new one starts only when the cluster has no market state left. */
  lineage: string
  /** The leader's epoch (fencing): a node never takes a step of an older epoch after a newer one. */
  epoch: number
  /** Steps of a series are numbered 1, 2, 3... across leaders. */
  n: number
  ts: number
  changes: PriceChange[]
}

type QuoteRow = [symbol: string, price: number, open: number, high: number, low: number, change: number, changePct: number, volume: number, ts: number, seq: number]
type RandomRow = [a: number, b: number, c: number, d: number, spare: number | null]

const quoteRow = (q: Quote): QuoteRow => [q.symbol, q.price, q.open, q.high, q.low, q.change, q.changePct, q.volume, q.ts, q.seq]
const quoteOf = ([symbol, price, open, high, low, change, changePct, volume, ts, seq]: QuoteRow): Quote =>
  ({ symbol, name: '', sector: '', price, open, high, low, change, changePct, volume, ts, seq })

export const encodeStep = ({ lineage, epoch, n, ts, changes }: PublishedStep) =>
  JSON.stringify({ lineage, epoch, n, ts, changes: changes.map(({ quote, traded }) => [...quoteRow(quote), traded]) })

export const decodeStep = (text: string): PublishedStep => {
  const { lineage, epoch, n, ts, changes } = JSON.parse(text) as Omit<PublishedStep, 'changes'> & { changes: [...QuoteRow, number][] }
  return {
    lineage,
    epoch,
    n,
    ts,
    changes: changes.map((row) => ({ quote: quoteOf(row.slice(0, 10) as QuoteRow), traded: row[10] }))
  }
}

const symbolRow = ({ quote, random, exact, idleMs }: SymbolModelState) =>
  [quoteRow(quote), [...random.words, random.spare] as RandomRow, exact, idleMs] as const
const symbolOf = ([quote, [a, b, c, d, spare], exact, idleMs]: ReturnType<typeof symbolRow>): SymbolModelState =>
  ({ quote: quoteOf(quote), random: { words: [a, b, c, d], spare }, exact, idleMs })

const modelRows = ({ createdAt, lastTs, model }: MarketModelState) =>
  ({ createdAt, lastTs, day: model.day, symbols: model.symbols.map(symbolRow) })
type ModelRows = ReturnType<typeof modelRows>
const modelOf = ({ createdAt, lastTs, day, symbols }: ModelRows): MarketModelState =>
  ({ createdAt, lastTs, model: { day, symbols: symbols.map(symbolOf) } })

export const encodeModelState = (state: MarketModelState) => JSON.stringify(modelRows(state))
export const decodeModelState = (text: string): MarketModelState => modelOf(JSON.parse(text) as ModelRows)

/**
 * The whole market: the model as JSON, the candle counts, a newline, then the candles' numbers as
 * little-endian doubles (see CandleStoreState: JSON would take a tenth of a second to write).
 */
export const encodeMarketState = (state: MarketState) => {
  const { counts, values } = state.candles
  const head = Buffer.from(JSON.stringify({ ...modelRows(state), counts }) + '\n')
  const bytes = Buffer.concat([head, Buffer.from(values.buffer, values.byteOffset, values.byteLength)])
  if (bigEndian) bytes.subarray(head.length).swap64()
  return bytes
}

export const decodeMarketState = (bytes: Buffer): MarketState => {
  const split = bytes.indexOf(0x0a)
  const rows = JSON.parse(bytes.subarray(0, split).toString()) as ModelRows & Pick<MarketState['candles'], 'counts'>
  // Copied into memory of its own: a Float64Array must start at a multiple of 8 bytes.
  const values = new Float64Array((bytes.length - split - 1) / 8)
  const numbers = Buffer.from(values.buffer)
  bytes.copy(numbers, 0, split + 1)
  if (bigEndian) numbers.swap64()
  return { ...modelOf(rows), candles: { counts: rows.counts, values } }
}
