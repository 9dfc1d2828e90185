import { Type, type Static } from 'typebox'
import { command, push, route } from './protocol.ts'
import { EmptySchema, IdSchema, TimestampSchema } from './schemas.ts'

/** At most this many symbols in one subscribe or unsubscribe, so one call stays cheap to serve. */
export const MAX_SYMBOLS_PER_CALL = 100

export const CandleLimit = { default: 300, max: 1000 } as const

/** Pending price alerts one user may have at a time. */
export const MAX_PENDING_ALERTS = 50

export const SYMBOL_PATTERN = '^[A-Z][A-Z0-9.]*$'

export const SymbolSchema = Type.String({
  minLength: 1,
  maxLength: 10,
  pattern: SYMBOL_PATTERN,
  description: 'a ticker symbol: 1-10 of A-Z 0-9 ., starting with a letter'
})

export const PriceSchema = Type.Number({
  exclusiveMinimum: 0,
  exclusiveMaximum: 1e9,
  description: 'a price in the quote currency, positive and below 1e9'
})

export const IntervalSchema = Type.Union([Type.Literal('5s'), Type.Literal('1m'), Type.Literal('5m'), Type.Literal('15m'), Type.Literal('1h')], {
  description: 'a candle bucket size'
})
export type Interval = Static<typeof IntervalSchema>

/** Bucket sizes of the candle intervals, in milliseconds. */
export const IntervalMs = { '5s': 5_000, '1m': 60_000, '5m': 300_000, '15m': 900_000, '1h': 3_600_000 } as const satisfies Record<Interval, number>
export const Intervals = Object.keys(IntervalMs) as Interval[]

export const ListingSchema = Type.Object({
  symbol: SymbolSchema,
  name: Type.String(),
  sector: Type.String()
})
export type Listing = Static<typeof ListingSchema>

export const QuoteSchema = Type.Object({
  symbol: SymbolSchema,
  name: Type.String(),
  sector: Type.String(),
  price: PriceSchema,
  open: PriceSchema,
  high: PriceSchema,
  low: PriceSchema,
  change: Type.Number({ description: 'price - open' }),
  changePct: Type.Number({ description: 'change as a percentage of open' }),
  volume: Type.Integer({ minimum: 0, description: 'shares traded since the open' }),
  ts: TimestampSchema,
  seq: Type.Integer({ minimum: 0, description: 'increases by one with every change of this symbol' })
})
export type Quote = Static<typeof QuoteSchema>

export const CandleSchema = Type.Object({
  t: Type.Integer({ minimum: 0, description: 'start of the bucket, epoch milliseconds' }),
  open: PriceSchema,
  high: PriceSchema,
  low: PriceSchema,
  close: PriceSchema,
  volume: Type.Integer({ minimum: 0 })
})
export type Candle = Static<typeof CandleSchema>

export const AlertDirectionSchema = Type.Union([Type.Literal('above'), Type.Literal('below')])
export type AlertDirection = Static<typeof AlertDirectionSchema>

export const AlertSchema = Type.Object({
  id: IdSchema,
  symbol: SymbolSchema,
  direction: AlertDirectionSchema,
  price: PriceSchema,
  createdAt: TimestampSchema
})
export type Alert = Static<typeof AlertSchema>

const SymbolListSchema = Type.Array(SymbolSchema, { minItems: 1, maxItems: MAX_SYMBOLS_PER_CALL })

/** Either named symbols or every listed symbol. */
export const SymbolSelectionSchema = Type.Union([
  Type.Object({ symbols: SymbolListSchema }, { additionalProperties: false }),
  Type.Object({ all: Type.Literal(true) }, { additionalProperties: false })
])
export type SymbolSelection = Static<typeof SymbolSelectionSchema>

export const QuotesSchema = Type.Object({ quotes: Type.Array(QuoteSchema) })
export type Quotes = Static<typeof QuotesSchema>

/** How far back a sparkline reaches, and its step (one 5 s candle close per point). */
export const SPARKLINE_WINDOW_MS = 10 * 60 * 1000
export const SPARKLINE_STEP_MS = 5000

/** Recent prices of a symbol, one per step from `start`, a quiet step repeating the last price. */
export const SparklineSchema = Type.Object({
  symbol: Type.String(),
  start: TimestampSchema,
  step: Type.Integer({ minimum: 1 }),
  prices: Type.Array(Type.Number())
})
export type Sparkline = Static<typeof SparklineSchema>

export const CandlesRequestSchema = Type.Object({
  symbol: SymbolSchema,
  interval: IntervalSchema,
  limit: Type.Optional(Type.Integer({
    minimum: 1,
    maximum: CandleLimit.max,
    description: `at most this many of the latest candles (default ${CandleLimit.default})`
  })),
  watch: Type.Optional(Type.Boolean({
    description: 'false: only the answer (a comparison line), the socket keeps the series it watches; true by default'
  }))
}, { additionalProperties: false })
export type CandlesRequest = Static<typeof CandlesRequestSchema>

export const AlertCreateSchema = Type.Object({
  symbol: SymbolSchema,
  direction: AlertDirectionSchema,
  price: PriceSchema
}, { additionalProperties: false })
export type AlertCreate = Static<typeof AlertCreateSchema>

export const CandleUpdateSchema = Type.Object({
  symbol: SymbolSchema,
  interval: IntervalSchema,
  candle: CandleSchema
})
export type CandleUpdate = Static<typeof CandleUpdateSchema>

export const tickerCommands = {
  'ticker:subscribe': command({
    cost: 2,
    payload: SymbolSelectionSchema,
    data: QuotesSchema,
    summary: 'Receive `ticker:quotes` for these symbols (or all); the ack holds their current quotes. Unknown symbols are `not_found`.'
  }),
  'ticker:unsubscribe': command({
    payload: SymbolSelectionSchema,
    data: EmptySchema,
    summary: 'Stop receiving quotes of these symbols; with `all`, of every symbol, and the watched candle series too.'
  }),
  'ticker:sparklines': command({
    cost: 10,
    payload: SymbolSelectionSchema,
    data: Type.Object({ sparklines: Type.Array(SparklineSchema) }),
    summary: 'The last ten minutes of these symbols (or all), for sparklines; changes nothing the socket receives.'
  }),
  'ticker:candles': command({
    cost: 10,
    payload: CandlesRequestSchema,
    data: Type.Object({ candles: Type.Array(CandleSchema) }),
    summary: 'The latest candles of a symbol, oldest first; coarse intervals reach back days before the server started (a history synthesized from the seeded model, the same on every node). The socket then gets `ticker:candle` for this series: one series per socket, the one it asked for last (unless `watch` is false).'
  }),
  'ticker:alert-create': command({
    cost: 2,
    payload: AlertCreateSchema,
    data: Type.Object({ alert: AlertSchema }),
    summary: 'Create a price alert that fires once as a `price-alert` notification; signed-in users only.'
  }),
  'ticker:alert-list': command({
    payload: EmptySchema,
    data: Type.Object({ alerts: Type.Array(AlertSchema) }),
    summary: "The user's pending alerts."
  }),
  'ticker:alert-delete': command({
    payload: Type.Object({ id: IdSchema }, { additionalProperties: false }),
    data: EmptySchema,
    summary: 'Delete one of your own alerts.'
  })
}
export type TickerCommands = typeof tickerCommands

export const tickerPushes = {
  'ticker:quotes': push({
    payload: QuotesSchema,
    summary: 'The latest quote of each subscribed symbol that changed, batched; a slow client gets the newest values, never a backlog.'
  }),
  'ticker:candle': push({
    payload: CandleUpdateSchema,
    summary: 'The forming candle of the series this socket last asked for with `ticker:candles` was updated (volatile, like quotes).'
  })
}
export type TickerPushes = typeof tickerPushes

const SYMBOL_IN_LIST = '[A-Z][A-Z0-9.]{0,9}'

export const QuotesQuerySchema = Type.Object({
  symbols: Type.Optional(Type.String({
    maxLength: MAX_SYMBOLS_PER_CALL * 11 - 1,
    pattern: `^${SYMBOL_IN_LIST}(,${SYMBOL_IN_LIST}){0,${MAX_SYMBOLS_PER_CALL - 1}}$`,
    description: `comma-separated symbols (at most ${MAX_SYMBOLS_PER_CALL}); every listed symbol when absent`
  }))
}, { additionalProperties: false })

export const tickerRoutes = {
  quotes: route({
    method: 'GET',
    url: '/api/ticker/quotes',
    summary: 'The current quote of every listed symbol, or of `?symbols=A,B`; unknown symbols are `not_found`.',
    auth: 'none',
    querystring: QuotesQuerySchema,
    response: { 200: QuotesSchema }
  })
}
