import type { ErrorInfo } from '../../../shared/protocol.ts'
import { AlertMinutesSchema, AlertPctSchema, MAX_PENDING_ALERTS, PriceSchema, type Alert, type AlertCreate, type AlertDirection, type Quote } from '../../../shared/ticker.ts'
import { marketFormats as fmt, type MarketFormats } from './format.ts'

// The limits live in the shared schema the server validates with; the form only reads them.
// (TypeBox's TNumber type does not declare the keywords, though the schema object carries them.)
const limitsOf = (schema: object) => {
  const { exclusiveMinimum, exclusiveMaximum } = schema as { exclusiveMinimum?: unknown, exclusiveMaximum?: unknown }
  return {
    above: typeof exclusiveMinimum === 'number' ? exclusiveMinimum : Number.NEGATIVE_INFINITY,
    below: typeof exclusiveMaximum === 'number' ? exclusiveMaximum : Number.POSITIVE_INFINITY
  }
}

/** A threshold must be strictly inside these bounds. */
export const alertPriceLimits = limitsOf(PriceSchema)

export const alertLimitText = `You can have up to ${MAX_PENDING_ALERTS} pending alerts.`

/**
 * A typed price as a number, or null when it is not one. Accepts a decimal comma when it is the
 * only separator (12,5) and ignores spaces and thousands commas in 1,234.50.
 */
export const parsePriceInput = (text: string): number | null => {
  let cleaned = text.trim().replace(/[\s\u00a0\u202f]/g, '')
  if (cleaned === '') return null
  if (cleaned.includes(',') && !cleaned.includes('.') && /^\d*,\d{1,2}$/.test(cleaned)) cleaned = cleaned.replace(',', '.')
  else cleaned = cleaned.replace(/,(?=\d{3}(\D|$))/g, '')
  if (!/^\d*\.?\d+$|^\d+\.$/.test(cleaned)) return null
  const value = Number(cleaned)
  return Number.isFinite(value) ? value : null
}

export type PriceCheck = { ok: true, price: number } | { ok: false, error: string }

/** The first problem with a typed threshold, as a sentence, or the price it stands for. */
export const checkAlertPrice = (text: string): PriceCheck => {
  if (text.trim() === '') return { ok: false, error: 'Enter a price.' }
  const price = parsePriceInput(text)
  if (price === null) return { ok: false, error: 'Enter a price as a number, like 42.50.' }
  if (!(price > alertPriceLimits.above)) return { ok: false, error: `The price must be more than ${alertPriceLimits.above}.` }
  if (!(price < alertPriceLimits.below)) return { ok: false, error: `The price must be less than ${alertPriceLimits.below.toLocaleString('en-US')}.` }
  return { ok: true, price }
}

const toCents = (value: number) => Math.round(value * 100) / 100

/**
 * A threshold to start from: about 1 % away from the current price in the alert's direction, in
 * cents, at least one cent away and never zero or below.
 */
export const suggestAlertPrice = (current: number, direction: AlertDirection): number => {
  const step = Math.max(0.01, toCents(current * 0.01))
  const suggested = direction === 'above' ? toCents(current + step) : toCents(current - step)
  return Math.max(0.01, suggested)
}

/** Whether a trade at `price` fires the alert (the server's rule: at or beyond the threshold). */
export const alertCrossed = (alert: Pick<Alert, 'direction' | 'price'>, price: number) =>
  alert.direction === 'above' ? price >= alert.price : price <= alert.price

/** How far the price has to move, in percent of the current price (negative: already crossed). */
export const distanceToAlert = (alert: Pick<Alert, 'direction' | 'price'>, current: number) => {
  const pct = ((alert.price - current) / current) * 100
  return alert.direction === 'above' ? pct : -pct
}

/** The line under the alert price: the live price and when the typed alert fires ('' while no price is known). */
export const alertHint = (current: number | null, text: string, direction: AlertDirection, formats: MarketFormats = fmt): string => {
  if (current === null) return ''
  const checked = checkAlertPrice(text)
  if (!checked.ok) return `Now ${formats.price(current)}.`
  const alert = { direction, price: checked.price }
  if (alertCrossed(alert, current)) {
    return `Now ${formats.price(current)}: already ${direction} ${formats.exactPrice(checked.price)}, so it fires on the next trade.`
  }
  return `Now ${formats.price(current)}. Fires when a trade is at or ${direction} ${formats.exactPrice(checked.price)} (${formats.distancePct(distanceToAlert(alert, current))} away).`
}

/** What to ask before setting an alert the price has already crossed (it would fire at once), or null. */
export const crossedWarning = (alert: Pick<Alert, 'direction' | 'price'>, current: number | null, formats: MarketFormats = fmt): string | null =>
  current !== null && alertCrossed(alert, current)
    ? `The price is ${formats.price(current)}, already ${alert.direction} ${formats.exactPrice(alert.price)}: this alert would fire on the next trade. Set it anyway?`
    : null

/**
 * What to ask before setting an alert that would fire on the next trade, or null: a crossing the
 * price is already beyond, or a day move the day's change already reached (the server's rule, a
 * crossing of `changePct`). A move within minutes counts from when it is set: never at once.
 */
export const firesAtOnceWarning = (alert: AlertCreate, quote: Pick<Quote, 'price' | 'changePct'> | null, formats: MarketFormats = fmt): string | null => {
  if (quote === null) return null
  if ('price' in alert) return crossedWarning(alert, quote.price, formats)
  if (alert.kind !== 'day-move') return null
  const way = alert.direction === 'above' ? 'up' : 'down'
  return alertCrossed({ direction: alert.direction, price: way === 'up' ? alert.pct : -alert.pct }, quote.changePct)
    ? `${alert.symbol} is ${formats.changePct(quote.changePct)} today, already ${way} ${alert.pct}%: this alert would fire on the next trade. Set it anyway?`
    : null
}

/** A server refusal as a sentence for the alert form. */
export const describeAlertError = (error: ErrorInfo): string => {
  switch (error.code) {
    case 'unauthorized': return 'Sign in again to set price alerts.'
    case 'rate_limited': return 'Too many requests at once. Wait a moment and try again.'
    case 'unavailable': return 'The market server did not answer. Check your connection and try again.'
    case 'conflict':
    case 'invalid_payload':
    case 'not_found': return error.message
    default: return 'Something went wrong on our side. Try again in a moment.'
  }
}

/** What an alert waits for, in words. */
export const describeAlert = (alert: Pick<Alert, 'direction' | 'price' | 'kind' | 'pct' | 'minutes'>, formats: MarketFormats = fmt) => {
  const way = alert.direction === 'above' ? 'up' : 'down'
  switch (alert.kind) {
    case 'day-move': return `Moves ${way} ${alert.pct}% within the day`
    case 'window-move': return `Moves ${way} ${alert.pct}% within ${alert.minutes} min`
    default: return `${alert.direction === 'above' ? 'Above' : 'Below'} ${formats.exactPrice(alert.price)}`
  }
}

/** The kinds of alert a form offers: crossing a price, a move within the day, a move within minutes. */
export type AlertFormKind = 'cross' | 'day-move' | 'window-move'
export const alertFormKinds: Record<AlertFormKind, string> = {
  cross: 'crosses a price',
  'day-move': 'moves within the day',
  'window-move': 'moves within minutes'
}

/** What an alert form holds, as typed. */
export interface AlertDraft {
  kind: AlertFormKind
  direction: AlertDirection
  /** The price of a crossing, the percent of a move. */
  amount: string
  /** The window of a move within minutes. */
  minutes: string
}

export type DraftCheck = { ok: true, alert: AlertCreate } | { ok: false, error: string, field: 'amount' | 'minutes' }

const pctLimits = AlertPctSchema as unknown as { minimum: number, maximum: number }
const minuteLimits = AlertMinutesSchema as unknown as { minimum: number, maximum: number }

/**
 * The alert a form asks for, checked against the shared schema's limits before it is sent, or the
 * first problem with it as a sentence (and which field to fix).
 */
export const checkAlertDraft = (symbol: string, draft: AlertDraft): DraftCheck => {
  if (draft.kind === 'cross') {
    const checked = checkAlertPrice(draft.amount)
    return checked.ok ? { ok: true, alert: { symbol, direction: draft.direction, price: checked.price } } : { ok: false, error: checked.error, field: 'amount' }
  }
  const pct = parsePriceInput(draft.amount.replace(/%\s*$/, ''))
  if (pct === null || pct < pctLimits.minimum || pct > pctLimits.maximum) {
    return { ok: false, error: `Enter a percentage from ${pctLimits.minimum} to ${pctLimits.maximum}.`, field: 'amount' }
  }
  if (draft.kind === 'day-move') return { ok: true, alert: { symbol, kind: 'day-move', direction: draft.direction, pct } }
  const minutes = Number(draft.minutes.trim())
  if (draft.minutes.trim() === '' || !Number.isInteger(minutes) || minutes < minuteLimits.minimum || minutes > minuteLimits.maximum) {
    return { ok: false, error: `Enter whole minutes from ${minuteLimits.minimum} to ${minuteLimits.maximum}.`, field: 'minutes' }
  }
  return { ok: true, alert: { symbol, kind: 'window-move', direction: draft.direction, pct, minutes } }
}
