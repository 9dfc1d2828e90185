import { batch, computed, signal, type Signal } from '@preact/signals'
import { Namespaces, type AckResult } from '../../../shared/protocol.ts'
import { tickerRoutes, type Alert, type AlertChange, type AlertCreate, type Candle, type Interval, type Quote, type Quotes, type Watchlist, type Watchlists, type tickerCommands, type tickerPushes } from '../../../shared/ticker.ts'
import { currentUser } from '../auth/auth-store.ts'
import { fetchJson } from '../http/fetch-json.ts'
import { lazySocket } from '../realtime/lazy-socket.ts'
import { onUserChange } from '../realtime/on-user-change.ts'
import { request } from '../realtime/request.ts'
import { createStaleGuard } from '../realtime/stale-guard.ts'
import { whenConnected } from '../realtime/when-connected.ts'
import { alertCrossed } from './alert-rules.ts'
import { createQuoteBoard, isNewerQuote } from './quote-board.ts'
import { createSymbolInterest } from './symbol-interest.ts'
import { activeWatchlist, mergeWatchlists, withList } from './account-watchlists.ts'
import { createWatchlist, toggleSymbol, watchlistKey } from './watchlist.ts'

/** Quotes and candles are volatile (a slow client misses some): a fresh snapshot repairs them. */
const RESYNC_MS = 15_000
/** How often stale checks (and live re-sorting) look at the time. */
const CLOCK_MS = 1_000
/** Candles of history a chart starts with. */
export const CHART_CANDLES = 300
/** Candles re-read by a periodic resync: the forming one and the two before it. */
const TAIL_CANDLES = 3
/** A crossed alert is fired by the server within a tick; its list is re-read this long after. */
const ALERT_RECHECK_MS = [1_000, 3_000, 8_000]

const isHidden = () => typeof document !== 'undefined' && document.visibilityState === 'hidden'
const requestFrame = (run: () => void) => {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => run())
  else setTimeout(run, 16)
}

// ---------- state, as signals for the views ----------

export type BoardState =
  | { status: 'loading' }
  | { status: 'ready', error: string | null }
  | { status: 'error', error: string }

export type SeriesState =
  | { symbol: string, interval: Interval, status: 'loading' }
  | { symbol: string, interval: Interval, status: 'ready', candles: readonly Candle[], version: number }
  | { symbol: string, interval: Interval, status: 'error', error: string }

/** Candles to fold into the chart in place (live pushes and resync tails), oldest first. */
export interface CandleBatch {
  symbol: string
  interval: Interval
  candles: readonly Candle[]
}

export type AlertsState =
  | { status: 'idle' | 'loading', alerts: readonly Alert[] }
  | { status: 'ready', alerts: readonly Alert[] }
  | { status: 'error', alerts: readonly Alert[], error: string }

export interface FiredAlert {
  alert: Alert
  /** The price that crossed it, as this browser saw it. */
  price: number
  at: number
}

export const quoteBoard = createQuoteBoard({ now: Date.now, requestFrame, isHidden })
export const boardState = signal<BoardState>({ status: 'loading' })
/** Whether the /ticker socket is connected (prices are live). */
export const tickerLive = signal(false)
export const chartSeries = signal<SeriesState | null>(null)
export const candleBatch = signal<CandleBatch | null>(null)
export const alertsState = signal<AlertsState>({ status: 'idle', alerts: [] })
/** Alerts seen firing during this visit, newest first. */
export const firedAlerts = signal<readonly FiredAlert[]>([])

const safeLocalStorage = () => {
  try {
    return window.localStorage
  } catch {
    return null
  }
}

/** Alerts whose threshold this browser saw crossed, waiting for the server to report them gone. */
const suspected = new Map<string, number>()

/**
 * The watchlist older versions kept in this browser: imported into the account once, and still
 * where this browser keeps its "Watchlist only" toggle.
 */
const browserList = createWatchlist(safeLocalStorage())
const importedKey = (userId: string) => `${watchlistKey(userId)}.imported`
const activeKey = (userId: string) => `hubbub.watchlist-active.${userId}`

/** The signed-in user's watchlists, saved to the account (null until read). */
export const accountLists = signal<Watchlists | null>(null)
/** The list chosen in this browser for the board's star (the first when it is gone). */
const chosenList = signal<string | null>(null)
export const activeList = computed(() => activeWatchlist(accountLists.value, chosenList.value))
/** The user's fired alerts for the alerts page, the latest first (null until read). */
export const firedHistory = signal<{ alerts: readonly Alert[], error: string | null } | null>(null)

/** What the board reads: the active list's symbols, and this browser's "Watchlist only" toggle. */
export const watchlist = {
  data: computed(() => ({ symbols: activeList.value?.symbols ?? [], only: browserList.data.value.only })),
  starred: computed<ReadonlySet<string>>(() => new Set(activeList.value?.symbols ?? [])),
  toggle: (symbol: string) => { toggleStar(symbol) },
  setOnly: (only: boolean) => browserList.setOnly(only)
}

onUserChange(currentUser, (user) => {
  browserList.use(user ? watchlistKey(user.id) : null)
  let chosen: string | null = null
  try {
    chosen = user ? safeLocalStorage()?.getItem(activeKey(user.id)) ?? null : null
  } catch {}
  // Alerts and lists are the user's own: another user (or none) starts from nothing.
  batch(() => {
    accountLists.value = null
    chosenList.value = chosen
    firedHistory.value = null
    alertsState.value = { status: 'idle', alerts: [] }
    firedAlerts.value = []
  })
  suspected.clear()
})

// ---------- the socket ----------

/** The chart's history requests: only the newest one's answer applies. */
const seriesAnswers = createStaleGuard()

const messageOf = (result: AckResult<unknown>) => (result.ok ? '' : result.error.message)

const tickerSocket = lazySocket<typeof tickerPushes, typeof tickerCommands>(Namespaces.ticker, (socket) => {
  tickerLive.value = socket.connected
  socket.on('connect', () => { tickerLive.value = true })
  socket.on('disconnect', () => { tickerLive.value = false })
  socket.on('ticker:quotes', ({ quotes }) => {
    if (openViews > 0) quoteBoard.ingest(quotes)
    applyChipQuotes(quotes)
  })
  socket.on('ticker:watchlists', (lists) => {
    accountLists.value = mergeWatchlists(accountLists.peek(), lists)
  })
  socket.on('ticker:alert', applyAlertChange)
  socket.on('ticker:candle', ({ symbol, interval, candle }) => {
    const series = chartSeries.peek()
    if (series?.symbol !== symbol || series.interval !== interval) return
    queueCandles([candle])
  })
})

// ---------- live candles, applied once per frame ----------

const pendingCandles = new Map<number, Candle>()
let candlesScheduled = false

const flushCandles = () => {
  candlesScheduled = false
  const series = chartSeries.peek()
  if (isHidden() || pendingCandles.size === 0 || series === null) return
  const candles = [...pendingCandles.values()].sort((a, b) => a.t - b.t)
  pendingCandles.clear()
  candleBatch.value = { symbol: series.symbol, interval: series.interval, candles }
}

const queueCandles = (candles: readonly Candle[]) => {
  for (const candle of candles) pendingCandles.set(candle.t, candle)
  if (candlesScheduled || isHidden()) return
  candlesScheduled = true
  requestFrame(flushCandles)
}

/**
 * Loads the history of the watched series (which also makes it the series this socket gets
 * `ticker:candle` for). A reload keeps showing the old candles until the new ones are in.
 */
const loadSeries = async (mode: 'load' | 'reload' | 'tail') => {
  const series = chartSeries.peek()
  if (series === null || !tickerSocket.peek()) return
  const { symbol, interval } = series
  const stale = seriesAnswers.supersede()
  const result = await request(tickerSocket(), 'ticker:candles', { symbol, interval, limit: mode === 'tail' ? TAIL_CANDLES : CHART_CANDLES })
  const current = chartSeries.peek()
  // A newer request (another symbol or interval) owns the chart now.
  if (stale() || current?.symbol !== symbol || current.interval !== interval) return
  if (!result.ok) {
    if (mode === 'load' || current.status !== 'ready') chartSeries.value = { symbol, interval, status: 'error', error: result.error.message }
    return
  }
  if (mode === 'tail') {
    queueCandles(result.data.candles)
    return
  }
  pendingCandles.clear()
  const version = current.status === 'ready' ? current.version + 1 : 1
  chartSeries.value = { symbol, interval, status: 'ready', candles: result.data.candles, version }
}

/** Shows the candles of one series in the chart; the chart follows it live until unwatchSeries(). */
export const watchSeries = (symbol: string, interval: Interval) => {
  const current = chartSeries.peek()
  if (current?.symbol === symbol && current.interval === interval && current.status !== 'error') return
  pendingCandles.clear()
  batch(() => {
    chartSeries.value = { symbol, interval, status: 'loading' }
    candleBatch.value = null
  })
  if (tickerSocket().connected) loadSeries('load')
}

/** Another symbol's candles for a comparison line: the answer alone, the watched series unchanged. */
export const compareCandles = async (symbol: string, interval: Interval): Promise<readonly Candle[] | null> => {
  const result = await request(tickerSocket(), 'ticker:candles', { symbol, interval, limit: CHART_CANDLES, watch: false })
  return result.ok ? result.data.candles : null
}

/** The chart closed: its pushes are ignored from now on. */
export const unwatchSeries = () => {
  seriesAnswers.invalidate()
  pendingCandles.clear()
  batch(() => {
    chartSeries.value = null
    candleBatch.value = null
  })
}

// ---------- alerts ----------

let alertCheck: ReturnType<typeof setTimeout> | null = null
let alertCheckRound = 0

const sortAlerts = (alerts: readonly Alert[]) => [...alerts].sort((a, b) => a.symbol.localeCompare(b.symbol) || a.price - b.price)

/** Re-reads the user's pending alerts. */
export const refreshAlerts = async () => {
  if (!tickerSocket.peek() || currentUser.peek() === null) return
  const before = alertsState.peek()
  if (before.status === 'idle') alertsState.value = { status: 'loading', alerts: before.alerts }
  const result = await request(tickerSocket(), 'ticker:alert-list', {})
  if (!result.ok) {
    alertsState.value = { status: 'error', alerts: alertsState.peek().alerts, error: result.error.message }
    return
  }
  const pendingIds = new Set(result.data.alerts.map((alert) => alert.id))
  const fired: FiredAlert[] = []
  for (const alert of alertsState.peek().alerts) {
    const price = suspected.get(alert.id)
    if (price !== undefined && !pendingIds.has(alert.id)) fired.push({ alert, price, at: Date.now() })
  }
  for (const id of suspected.keys()) if (!pendingIds.has(id)) suspected.delete(id)
  batch(() => {
    alertsState.value = { status: 'ready', alerts: sortAlerts(result.data.alerts) }
    if (fired.length > 0) firedAlerts.value = [...fired, ...firedAlerts.peek()].slice(0, 10)
  })
}

const scheduleAlertCheck = (round = 0) => {
  if (alertCheck !== null) return
  alertCheckRound = round
  alertCheck = setTimeout(() => {
    alertCheck = null
    refreshAlerts().then(() => {
      if (suspected.size > 0 && alertCheckRound + 1 < ALERT_RECHECK_MS.length) scheduleAlertCheck(alertCheckRound + 1)
    })
  }, ALERT_RECHECK_MS[round])
}

quoteBoard.onApplied((quotes: readonly Quote[]) => {
  const { alerts } = alertsState.peek()
  if (alerts.length === 0) return
  for (const quote of quotes) {
    for (const alert of alerts) {
      if (alert.symbol === quote.symbol && !suspected.has(alert.id) && alertCrossed(alert, quote.price)) {
        suspected.set(alert.id, quote.price)
        scheduleAlertCheck()
      }
    }
  }
})

/** Creates an alert; resolves with the server's answer (the form shows refusals). */
export const createAlert = async (payload: AlertCreate): Promise<AckResult<{ alert: Alert }>> => {
  const result = await request(tickerSocket(), 'ticker:alert-create', payload)
  if (result.ok) {
    const { alerts } = alertsState.peek()
    alertsState.value = { status: 'ready', alerts: sortAlerts([...alerts.filter((alert) => alert.id !== result.data.alert.id), result.data.alert]) }
  }
  return result
}

/** Deletes one of the user's alerts; resolves with an error sentence, or null when it is gone. */
export const deleteAlert = async (id: string): Promise<string | null> => {
  const result = await request(tickerSocket(), 'ticker:alert-delete', { id })
  // not_found: it fired or was deleted elsewhere meanwhile; either way it is gone.
  if (result.ok || result.error.code === 'not_found') {
    suspected.delete(id)
    const { alerts } = alertsState.peek()
    alertsState.value = { status: 'ready', alerts: alerts.filter((alert) => alert.id !== id) }
    return null
  }
  return messageOf(result)
}

/** Another tab, device or the server changed one of the user's alerts. */
function applyAlertChange (change: AlertChange) {
  const id = change.state === 'deleted' ? change.id : change.alert.id
  const { alerts } = alertsState.peek()
  const pending = alerts.filter((alert) => alert.id !== id)
  const history = firedHistory.peek()
  const fired = history?.alerts.filter((alert) => alert.id !== id) ?? []
  batch(() => {
    if (change.state === 'pending') pending.push(change.alert)
    if (change.state === 'fired') {
      fired.unshift(change.alert)
      if (alerts.some((alert) => alert.id === id) && !firedAlerts.peek().some((item) => item.alert.id === id)) {
        firedAlerts.value = [{ alert: change.alert, price: change.alert.firedPrice ?? change.alert.price, at: change.alert.firedAt ?? Date.now() }, ...firedAlerts.peek()].slice(0, 10)
      }
      suspected.delete(id)
    }
    const state = alertsState.peek()
    alertsState.value = state.status === 'error' ? { ...state, alerts: sortAlerts(pending) } : { status: 'ready', alerts: sortAlerts(pending) }
    if (history !== null) firedHistory.value = { alerts: fired, error: history.error }
  })
}

/** Reads the user's fired alerts (for the alerts page). */
export const refreshFiredAlerts = async () => {
  if (currentUser.peek() === null) return
  const result = await request(tickerSocket(), 'ticker:alert-fired', {})
  firedHistory.value = result.ok ? { alerts: result.data.alerts, error: null } : { alerts: firedHistory.peek()?.alerts ?? [], error: result.error.message }
}

/** Makes a fired alert pending again; an error sentence, or null when done. */
export const rearmAlert = async (id: string): Promise<string | null> => {
  const result = await request(tickerSocket(), 'ticker:alert-rearm', { id })
  if (!result.ok) return result.error.message
  applyAlertChange({ state: 'pending', alert: result.data.alert })
  return null
}

/** Deletes a fired alert; an error sentence, or null when it is gone. */
export const deleteFiredAlert = async (id: string): Promise<string | null> => {
  const error = await deleteAlert(id)
  if (error === null) applyAlertChange({ state: 'deleted', id })
  return error
}

// ---------- watchlists ----------

const listsAnswers = createStaleGuard()

/** Reads the user's lists; then, once per browser and user, imports the list older versions kept here. */
export const refreshLists = async () => {
  const user = currentUser.peek()
  if (!tickerSocket.peek() || user === null) return
  const stale = listsAnswers.supersede()
  const result = await request(tickerSocket(), 'ticker:watchlist-list', {})
  if (stale() || !result.ok) return
  accountLists.value = mergeWatchlists(accountLists.peek(), result.data)
  const storage = safeLocalStorage()
  const legacy = browserList.data.peek().symbols
  let imported = true
  try {
    imported = legacy.length === 0 || storage?.getItem(importedKey(user.id)) === '1'
  } catch {}
  if (imported) return
  const answer = await request(tickerSocket(), 'ticker:watchlist-import', { symbols: legacy })
  if (!answer.ok) return
  accountLists.value = withList(accountLists.peek(), answer.data.list)
  try {
    storage?.setItem(importedKey(user.id), '1')
  } catch {}
}

/** Makes a list the one the board's star uses, in this browser. */
export const chooseList = (id: string) => {
  chosenList.value = id
  const user = currentUser.peek()
  try {
    if (user) safeLocalStorage()?.setItem(activeKey(user.id), id)
  } catch {}
}

/** Creates a list (and makes it the active one); an error sentence, or null. */
export const createList = async (name: string, symbols: string[] = []): Promise<string | null> => {
  const result = await request(tickerSocket(), 'ticker:watchlist-create', { name, symbols })
  if (!result.ok) return result.error.message
  accountLists.value = withList(accountLists.peek(), result.data.list)
  chooseList(result.data.list.id)
  return null
}

/**
 * Changes a list as `change` says, on the version held; refused as stale (changed in another tab
 * meanwhile), it reads the lists again and redoes the change on the new version: the two merge.
 */
export const changeList = async (id: string, change: (list: Watchlist) => { name?: string, symbols?: string[] } | null): Promise<string | null> => {
  for (let attempt = 0; attempt < 3; attempt++) {
    const list = accountLists.peek()?.lists.find((item) => item.id === id)
    if (list === undefined) return 'That watchlist is gone.'
    const patch = change(list)
    if (patch === null) return null
    const result = await request(tickerSocket(), 'ticker:watchlist-update', { id, version: list.version, ...patch })
    if (result.ok) {
      accountLists.value = withList(accountLists.peek(), result.data.list)
      return null
    }
    if (result.error.code !== 'conflict') return result.error.message
    await refreshLists()
  }
  return 'This watchlist keeps changing elsewhere. Try again.'
}

export const deleteList = async (id: string): Promise<string | null> => {
  const result = await request(tickerSocket(), 'ticker:watchlist-delete', { id })
  if (!result.ok && result.error.code !== 'not_found') return result.error.message
  const current = accountLists.peek()
  if (current) accountLists.value = { rev: current.rev, lists: current.lists.filter((list) => list.id !== id) }
  return null
}

export const moveList = async (id: string, index: number): Promise<string | null> => {
  const current = accountLists.peek()
  const from = current?.lists.findIndex((list) => list.id === id) ?? -1
  if (current && from !== -1) {
    // Shown moved at once; the push that follows has the server's order.
    const lists = [...current.lists]
    const [list] = lists.splice(from, 1)
    lists.splice(Math.min(index, lists.length), 0, list!)
    accountLists.value = { rev: current.rev, lists }
  }
  const result = await request(tickerSocket(), 'ticker:watchlist-move', { id, index })
  if (result.ok) return null
  await refreshLists()
  return result.error.message
}

/** The star: adds the symbol to the active list or takes it out; with no list yet, makes one. */
export const toggleStar = async (symbol: string): Promise<string | null> => {
  const active = activeList.peek()
  if (active === null) return createList('Watchlist', [symbol])
  return changeList(active.id, (list) => {
    const symbols = toggleSymbol(list.symbols, symbol)
    return symbols.length === list.symbols.length && list.symbols.includes(symbol) === symbols.includes(symbol) ? null : { symbols }
  })
}

/** Forgets an alert shown as fired. */
export const dismissFiredAlert = (id: string) => {
  firedAlerts.value = firedAlerts.peek().filter((fired) => fired.alert.id !== id)
}

// ---------- the market session ----------

let openViews = 0
let stopSession: (() => void) | null = null
/** Whether the sparklines got the server's recent past yet (once a page load is enough). */
let historySeeded = false

const seedSparklines = async (live: ReturnType<typeof tickerSocket>) => {
  historySeeded = true
  const result = await request(live, 'ticker:sparklines', { all: true })
  if (result.ok) quoteBoard.seedHistory(result.data.sparklines)
  else historySeeded = false
}

/** Takes a fresh snapshot of every quote (and of what else the view shows). */
const resync = async (reason: 'connect' | 'visible' | 'periodic' | 'retry') => {
  const live = tickerSocket()
  if (!live.connected) return
  const series = chartSeries.peek()
  if (series !== null) {
    // After a reconnect the server has forgotten which series this socket watches, and after a
    // hidden spell many candles were missed: both reload. Otherwise the tail repairs dropped
    // pushes, and a failed load tries again.
    if (series.status !== 'ready') loadSeries('load')
    else loadSeries(reason === 'periodic' ? 'tail' : 'reload')
  }
  refreshAlerts()
  if (reason !== 'periodic') refreshLists()
  const result = await request(live, 'ticker:subscribe', { all: true })
  if (openViews === 0) return
  if (result.ok) {
    quoteBoard.applySnapshot(result.data.quotes)
    if (!historySeeded) seedSparklines(live)
    const before = boardState.peek()
    if (before.status !== 'ready' || before.error !== null) boardState.value = { status: 'ready', error: null }
  } else if (boardState.peek().status === 'ready') {
    boardState.value = { status: 'ready', error: result.error.message }
  } else {
    boardState.value = { status: 'error', error: result.error.message }
  }
}

/** Tries the snapshot again after it failed. */
export const retryBoard = () => {
  if (boardState.peek().status === 'error') boardState.value = { status: 'loading' }
  resync('retry')
}

const startSession = () => {
  const live = tickerSocket()
  const stopConnected = whenConnected(live, () => { resync('connect') })
  let resyncTimer: ReturnType<typeof setInterval> | null = null
  const startResync = () => {
    resyncTimer ??= setInterval(() => { resync('periodic') }, RESYNC_MS)
  }
  const stopResync = () => {
    if (resyncTimer !== null) clearInterval(resyncTimer)
    resyncTimer = null
  }
  const clock = setInterval(() => quoteBoard.tickClock(), CLOCK_MS)
  const onVisibility = () => {
    if (isHidden()) {
      // Nothing renders while hidden (frames are not flushed); no periodic snapshots either.
      stopResync()
      return
    }
    quoteBoard.tickClock()
    quoteBoard.resume()
    if (pendingCandles.size > 0) queueCandles([])
    startResync()
    resync('visible')
  }
  const onStorage = (event: StorageEvent) => {
    if (event.key !== null && event.key === browserList.key) browserList.reload()
  }
  document.addEventListener('visibilitychange', onVisibility)
  window.addEventListener('storage', onStorage)
  if (!isHidden()) startResync()

  return () => {
    stopConnected()
    stopResync()
    clearInterval(clock)
    document.removeEventListener('visibilitychange', onVisibility)
    window.removeEventListener('storage', onStorage)
    if (alertCheck !== null) clearTimeout(alertCheck)
    alertCheck = null
    quoteBoard.dropPending()
    if (live.connected) {
      // Unsubscribing everything drops the chips' symbols too: they are asked for again.
      request(live, 'ticker:unsubscribe', { all: true })
      chipInterest.forget()
      scheduleChipFlush()
    }
  }
}

/**
 * The market view is open: quotes stream in (and after every reconnect, and whenever the tab
 * shows again, a fresh snapshot); returns the function that ends it. Nested opens are counted.
 */
export const openMarket = () => {
  openViews++
  if (openViews === 1) {
    if (boardState.peek().status === 'error') boardState.value = { status: 'loading' }
    stopSession = startSession()
  }
  let closed = false
  return () => {
    if (closed) return
    closed = true
    openViews--
    if (openViews === 0) {
      stopSession?.()
      stopSession = null
      unwatchSeries()
    }
  }
}

// ---------- $SYMBOL chips in chat ----------

/** Every listed symbol (null until known): only these become chips. */
export const listedSymbols = signal<ReadonlySet<string> | null>(null)
let listingsAsked = false

/** Reads the listed symbols once per page (and the quotes the chips start from). */
export const knowListedSymbols = async () => {
  if (listingsAsked) return
  listingsAsked = true
  const { method, url } = tickerRoutes.quotes
  const result = await fetchJson<Quotes>(method, url)
  if (!result.ok) {
    listingsAsked = false
    return
  }
  applyChipQuotes(result.data.quotes, true)
  listedSymbols.value = new Set(result.data.quotes.map((quote) => quote.symbol))
}

/** The latest quote of each symbol a chip shows (null until one arrives). */
const chipQuotes = new Map<string, Signal<Quote | null>>()
const chipInterest = createSymbolInterest()
let chipFlushScheduled = false
let chipsFollowReconnects = false

export const chipQuote = (symbol: string) => {
  let quote = chipQuotes.get(symbol)
  if (!quote) {
    quote = signal<Quote | null>(null)
    chipQuotes.set(symbol, quote)
  }
  return quote
}

const applyChipQuotes = (quotes: readonly Quote[], seeding = false) => {
  batch(() => {
    for (const quote of quotes) {
      const current = seeding ? chipQuote(quote.symbol) : chipQuotes.get(quote.symbol)
      if (current && (current.peek() === null || isNewerQuote(quote, current.peek()!))) current.value = quote
    }
  })
}

const flushChips = async () => {
  chipFlushScheduled = false
  const live = tickerSocket()
  if (!live.connected) return
  const { subscribe, unsubscribe } = chipInterest.flush()
  // While the market is open its `all` covers every symbol, and a named unsubscribe would take
  // the symbol from the board too: the chips' unsubscribes wait for the market to close.
  if (unsubscribe.length > 0 && openViews === 0) request(live, 'ticker:unsubscribe', { symbols: unsubscribe })
  if (subscribe.length === 0) return
  const result = await request(live, 'ticker:subscribe', { symbols: subscribe })
  if (result.ok) applyChipQuotes(result.data.quotes)
}

/** Chips appearing in one task are gathered into one subscribe. */
const scheduleChipFlush = () => {
  if (chipFlushScheduled) return
  chipFlushScheduled = true
  queueMicrotask(() => { flushChips() })
}

/**
 * A chip of `symbol` is on screen: its quote follows the server while any chip of it is
 * visible, through this page's one socket. Returns the function to call when it leaves.
 */
export const watchChip = (symbol: string) => {
  if (!chipsFollowReconnects) {
    chipsFollowReconnects = true
    // A new connection has no subscriptions: everything wanted is asked for again.
    whenConnected(tickerSocket(), () => {
      chipInterest.forget()
      scheduleChipFlush()
    })
  }
  chipInterest.show(symbol)
  scheduleChipFlush()
  let left = false
  return () => {
    if (left) return
    left = true
    chipInterest.hide(symbol)
    scheduleChipFlush()
  }
}
