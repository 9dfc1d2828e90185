import { Type, type Static } from 'typebox'
import { command, push, route } from './protocol.ts'
import { EmptySchema, IdSchema, NameText, TimestampSchema } from './schemas.ts'

/** At most this many symbols in one subscribe or unsubscribe, so one call stays cheap to serve. */
export const MAX_SYMBOLS_PER_CALL = 100

export const CandleLimit = { default: 300, max: 1000 } as const

/** Pending price alerts one user may have at a time. */
export const MAX_PENDING_ALERTS = 50
/** Fired alerts `ticker:alert-fired` lists at most (the newest). */
export const MAX_FIRED_ALERTS = 50

/** Watchlists one user may keep, and symbols in one of them. */
export const MAX_WATCHLISTS = 20
export const MAX_WATCHLIST_SYMBOLS = 100

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

export const AlertDirectionSchema = Type.Union([Type.Literal('above'), Type.Literal('below')], {
  description: "a crossing: the price at or above / below `price`; a move: up ('above') or down ('below') by `pct`"
})
export type AlertDirection = Static<typeof AlertDirectionSchema>

/** What an alert watches: a price crossing, or a move of the price in percent. */
export const AlertKinds = {
  /** The price trades at or beyond `price`. */
  cross: 'cross',
  /** The day's change (from the open) reaches `pct` percent up or down. */
  dayMove: 'day-move',
  /** The price moves `pct` percent up from the lowest (or down from the highest) trade of the last `minutes` minutes. */
  windowMove: 'window-move'
} as const
export type AlertKind = typeof AlertKinds[keyof typeof AlertKinds]
export const AlertKindSchema = Type.Union([Type.Literal(AlertKinds.cross), Type.Literal(AlertKinds.dayMove), Type.Literal(AlertKinds.windowMove)], {
  description: "'cross' (absent means cross), 'day-move' or 'window-move'"
})

export const AlertPctSchema = Type.Number({ minimum: 0.01, maximum: 100, description: 'a move in percent of the price, 0.01-100' })
/** A move alert's window reaches back at most one hour (the 5 s candles kept). */
export const MAX_ALERT_WINDOW_MINUTES = 60
export const AlertMinutesSchema = Type.Integer({ minimum: 1, maximum: MAX_ALERT_WINDOW_MINUTES, description: `the window of a 'window-move' alert, 1-${MAX_ALERT_WINDOW_MINUTES} minutes` })

export const AlertSchema = Type.Object({
  id: IdSchema,
  symbol: SymbolSchema,
  direction: AlertDirectionSchema,
  price: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1e9, description: "a crossing's threshold; for a move, the price when it was set (or re-armed)" }),
  createdAt: TimestampSchema,
  kind: Type.Optional(AlertKindSchema),
  pct: Type.Optional(AlertPctSchema),
  minutes: Type.Optional(AlertMinutesSchema),
  firedAt: Type.Optional(Type.Union([TimestampSchema, Type.Null()], { description: 'when it fired; null or absent while pending' })),
  firedPrice: Type.Optional(Type.Union([Type.Number(), Type.Null()], { description: 'the trade that fired it' }))
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

/** A crossing (the original shape, `kind` absent or 'cross'), a day move, or a move within minutes. */
export const AlertCreateSchema = Type.Union([
  Type.Object({
    symbol: SymbolSchema,
    direction: AlertDirectionSchema,
    price: PriceSchema,
    kind: Type.Optional(Type.Literal(AlertKinds.cross))
  }, { additionalProperties: false }),
  Type.Object({
    symbol: SymbolSchema,
    kind: Type.Literal(AlertKinds.dayMove),
    direction: AlertDirectionSchema,
    pct: AlertPctSchema
  }, { additionalProperties: false }),
  Type.Object({
    symbol: SymbolSchema,
    kind: Type.Literal(AlertKinds.windowMove),
    direction: AlertDirectionSchema,
    pct: AlertPctSchema,
    minutes: AlertMinutesSchema
  }, { additionalProperties: false })
])
export type AlertCreate = Static<typeof AlertCreateSchema>

/** A change of one of the user's alerts, pushed to all of the user's /ticker sockets. */
export const AlertChangeSchema = Type.Union([
  Type.Object({ state: Type.Union([Type.Literal('pending'), Type.Literal('fired')]), alert: AlertSchema }),
  Type.Object({ state: Type.Literal('deleted'), id: IdSchema })
])
export type AlertChange = Static<typeof AlertChangeSchema>

export const WatchlistNameSchema = NameText({ minLength: 1, maxLength: 40, description: 'a watchlist name: 1-40 characters on one line' })

export const WatchlistSchema = Type.Object({
  id: IdSchema,
  name: WatchlistNameSchema,
  symbols: Type.Array(SymbolSchema, { maxItems: MAX_WATCHLIST_SYMBOLS, description: 'in the order the user gave' }),
  version: Type.Integer({ minimum: 1, description: 'increases with every change of this list: a write naming an older one is refused' })
})
export type Watchlist = Static<typeof WatchlistSchema>

export const WatchlistsSchema = Type.Object({
  lists: Type.Array(WatchlistSchema, { maxItems: MAX_WATCHLISTS, description: 'in the order the user gave' }),
  rev: Type.Integer({ minimum: 0, description: "increases with every change of the user's watchlists: a push older than what a client holds is stale" })
})
export type Watchlists = Static<typeof WatchlistsSchema>

const WatchlistSymbolsSchema = Type.Array(SymbolSchema, { maxItems: MAX_WATCHLIST_SYMBOLS, uniqueItems: true, description: `at most ${MAX_WATCHLIST_SYMBOLS} listed symbols, each once` })

export const WatchlistCreateSchema = Type.Object({
  name: WatchlistNameSchema,
  symbols: Type.Optional(WatchlistSymbolsSchema)
}, { additionalProperties: false })

export const WatchlistUpdateSchema = Type.Object({
  id: IdSchema,
  version: Type.Integer({ minimum: 1, description: 'the version this change was made on' }),
  name: Type.Optional(WatchlistNameSchema),
  symbols: Type.Optional(WatchlistSymbolsSchema)
}, { additionalProperties: false })
export type WatchlistUpdate = Static<typeof WatchlistUpdateSchema>

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
    summary: 'Delete one of your own alerts, pending or fired.'
  }),
  'ticker:alert-fired': command({
    cost: 2,
    payload: EmptySchema,
    data: Type.Object({ alerts: Type.Array(AlertSchema) }),
    summary: `The user's fired alerts, newest first (at most ${MAX_FIRED_ALERTS}), with \`firedAt\` and \`firedPrice\`.`
  }),
  'ticker:alert-rearm': command({
    cost: 2,
    payload: Type.Object({ id: IdSchema }, { additionalProperties: false }),
    data: Type.Object({ alert: AlertSchema }),
    summary: 'Makes one of your fired alerts pending again, armed from now (`conflict` past the pending limit, `not_found` when it is not fired).'
  }),
  'ticker:watchlist-list': command({
    payload: EmptySchema,
    data: WatchlistsSchema,
    summary: "The user's watchlists, in their order; signed-in users only."
  }),
  'ticker:watchlist-create': command({
    cost: 2,
    payload: WatchlistCreateSchema,
    data: Type.Object({ list: WatchlistSchema }),
    summary: `A new watchlist, last in the order (\`conflict\` past ${MAX_WATCHLISTS}); unknown symbols are \`not_found\`.`
  }),
  'ticker:watchlist-update': command({
    cost: 2,
    payload: WatchlistUpdateSchema,
    data: Type.Object({ list: WatchlistSchema }),
    summary: 'Renames a watchlist or replaces its symbols (their order too). `conflict` when `version` is not the current one: read the list again and redo the change.'
  }),
  'ticker:watchlist-delete': command({
    cost: 2,
    payload: Type.Object({ id: IdSchema }, { additionalProperties: false }),
    data: EmptySchema,
    summary: 'Deletes one of your watchlists.'
  }),
  'ticker:watchlist-move': command({
    cost: 2,
    payload: Type.Object({
      id: IdSchema,
      index: Type.Integer({ minimum: 0, maximum: MAX_WATCHLISTS - 1, description: 'its new place, from 0 (past the end: last)' })
    }, { additionalProperties: false }),
    data: EmptySchema,
    summary: 'Moves a watchlist to another place in the order.'
  }),
  'ticker:watchlist-import': command({
    cost: 2,
    payload: Type.Object({ symbols: WatchlistSymbolsSchema }, { additionalProperties: false }),
    data: Type.Object({ list: WatchlistSchema }),
    summary: 'Adds symbols (a watchlist kept by an older client in the browser) to your first watchlist, made if none; symbols already there or not listed are skipped, so importing twice changes nothing.'
  })
}
export type TickerCommands = typeof tickerCommands

export const tickerPushes = {
  'ticker:quotes': push({
    payload: QuotesSchema,
    summary: 'The latest quote of each subscribed symbol that changed, batched; a slow client gets the newest values, never a backlog.'
  }),
  'ticker:watchlists': push({
    payload: WatchlistsSchema,
    summary: "The signed-in user's watchlists changed (in any tab or device): all of them, with their `rev`."
  }),
  'ticker:alert': push({
    payload: AlertChangeSchema,
    summary: "One of the signed-in user's alerts was created, deleted, re-armed or fired (in any tab or device)."
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
