import { useComputed, useSignal, type ReadonlySignal } from '@preact/signals'
import { useEffect, useId, useRef } from 'preact/hooks'
import { MAX_PENDING_ALERTS, type Alert, type AlertDirection, type Quote } from '../../../shared/ticker.ts'
import { AlertIcon, BellIcon, CloseIcon, TrashIcon } from '../ui/icons.tsx'
import { alertCrossed, checkAlertPrice, describeAlertError, distanceToAlert, suggestAlertPrice } from './alert-rules.ts'
import { marketFormats as fmt } from './format.ts'
import { alertsState, createAlert, deleteAlert, dismissFiredAlert, firedAlerts } from './ticker-socket.ts'

const directionLabel: Record<AlertDirection, string> = { above: 'Above', below: 'Below' }

/** The price typed as a plain number in cents, the way the field shows suggestions. */
const plain = (price: number) => price.toFixed(2)

const AlertItem = ({ alert, quote }: { alert: Alert, quote: ReadonlySignal<Quote> | null }) => {
  const deleting = useSignal(false)
  const error = useSignal<string | null>(null)
  const distance = useComputed(() => {
    if (quote === null) return ''
    const price = quote.value.price
    if (alertCrossed(alert, price)) return 'crossing now'
    return `${fmt.distancePct(distanceToAlert(alert, price))} away`
  })
  const remove = async () => {
    deleting.value = true
    error.value = await deleteAlert(alert.id)
    deleting.value = false
  }
  const label = `${directionLabel[alert.direction]} ${fmt.exactPrice(alert.price)}`
  return (
    <li class='alert-item' data-direction={alert.direction}>
      <span class='alert-direction' aria-hidden='true'>{alert.direction === 'above' ? '▲' : '▼'}</span>
      <span class='alert-text'>
        <span class='alert-price'>{label}</span>
        <span class='alert-meta'>{distance} · set {fmt.clockTime(alert.createdAt)}</span>
        {error.value ? <span class='alert-error'>{error.value}</span> : null}
      </span>
      <button
        type='button'
        class='icon-button'
        aria-label={`Delete alert ${alert.symbol} ${label.toLowerCase()}`}
        disabled={deleting.value}
        onClick={remove}
      >
        <TrashIcon size={16} />
      </button>
    </li>
  )
}

/**
 * Price alerts of one symbol: a form to set one above or below a price (prefilled about 1 %
 * away from the current price, checked against the shared schema before sending) and the
 * pending ones with delete. Fired alerts move to a short "fired" list.
 */
export const AlertPanel = ({ symbol, quote }: { symbol: string, quote: ReadonlySignal<Quote> | null }) => {
  const id = useId()
  const direction = useSignal<AlertDirection>('above')
  const text = useSignal('')
  const edited = useSignal(false)
  const fieldError = useSignal<string | null>(null)
  const serverError = useSignal<string | null>(null)
  const busy = useSignal(false)
  const announcement = useSignal('')
  const input = useRef<HTMLInputElement>(null)
  const hasQuote = quote !== null

  // Start from a suggestion near the current price until the user types their own.
  useEffect(() => {
    if (!edited.peek() && quote !== null) text.value = plain(suggestAlertPrice(quote.peek().price, direction.value))
  }, [hasQuote, direction.value])

  const hint = useComputed(() => {
    if (quote === null) return ''
    const now = quote.value.price
    const checked = checkAlertPrice(text.value)
    if (!checked.ok) return `Now ${fmt.price(now)}.`
    const alert = { direction: direction.value, price: checked.price }
    if (alertCrossed(alert, now)) {
      return `Now ${fmt.price(now)}: already ${direction.value} ${fmt.exactPrice(checked.price)}, so it fires on the next trade.`
    }
    return `Now ${fmt.price(now)}. Fires when a trade is at or ${direction.value} ${fmt.exactPrice(checked.price)} (${fmt.distancePct(distanceToAlert(alert, now))} away).`
  })

  const submit = async (event: Event) => {
    event.preventDefault()
    if (busy.value) return
    serverError.value = null
    const checked = checkAlertPrice(text.value)
    if (!checked.ok) {
      fieldError.value = checked.error
      input.current?.focus()
      return
    }
    fieldError.value = null
    busy.value = true
    const result = await createAlert({ symbol, direction: direction.value, price: checked.price })
    busy.value = false
    if (!result.ok) {
      serverError.value = describeAlertError(result.error)
      return
    }
    announcement.value = `Alert set: ${symbol} ${direction.value} ${fmt.exactPrice(result.data.alert.price)}.`
    edited.value = false
    if (quote !== null) text.value = plain(suggestAlertPrice(quote.peek().price, direction.value))
  }

  const state = alertsState.value
  const mine = state.alerts.filter((alert) => alert.symbol === symbol)
  const fired = firedAlerts.value.filter((item) => item.alert.symbol === symbol)
  const errorId = `${id}-error`
  const hintId = `${id}-hint`

  return (
    <section class='alerts' aria-labelledby={`${id}-title`}>
      <div class='detail-section-head'>
        <h3 id={`${id}-title`} class='detail-section-title'>
          <BellIcon size={16} />
          Price alerts
        </h3>
        <span class='alerts-count'>{state.alerts.length} of {MAX_PENDING_ALERTS} in use</span>
      </div>

      <form class='alert-form' onSubmit={submit} noValidate>
        <fieldset class='segmented alert-direction-field'>
          <legend class='visually-hidden'>Alert when the price goes</legend>
          {(['above', 'below'] as const).map((value) => (
            <label key={value} class='segmented-option'>
              <input
                type='radio'
                name={`${id}-direction`}
                value={value}
                checked={direction.value === value}
                onChange={() => { direction.value = value }}
              />
              <span>{value === 'above' ? '▲ Above' : '▼ Below'}</span>
            </label>
          ))}
        </fieldset>
        <div class='field alert-price-field' data-invalid={fieldError.value ? '' : undefined}>
          <label class='visually-hidden' for={`${id}-price`}>Alert price</label>
          <input
            ref={input}
            id={`${id}-price`}
            class='field-input alert-price-input'
            type='text'
            inputMode='decimal'
            autoComplete='off'
            value={text.value}
            aria-invalid={fieldError.value ? true : undefined}
            aria-describedby={fieldError.value ? errorId : hintId}
            onInput={(event) => {
              text.value = event.currentTarget.value
              edited.value = true
              fieldError.value = null
            }}
          />
        </div>
        <button type='submit' class='button primary alert-submit' aria-disabled={busy.value ? 'true' : undefined}>
          {busy.value ? <span class='spinner' aria-hidden='true' /> : null}
          Set alert
        </button>
      </form>
      {fieldError.value
        ? <p class='field-error' id={errorId}><AlertIcon size={16} /><span>{fieldError.value}</span></p>
        : <p class='field-hint alert-hint' id={hintId}>{hint}</p>}
      {serverError.value
        ? <p class='banner banner-error alert-banner' role='alert'><AlertIcon size={16} /><span>{serverError.value}</span></p>
        : null}
      <p class='visually-hidden' role='status'>{announcement.value}</p>

      {state.status === 'error'
        ? <p class='banner banner-error alert-banner' role='alert'><AlertIcon size={16} /><span>Alerts could not be loaded: {state.error}</span></p>
        : null}

      {fired.length > 0
        ? (
          <ul class='alert-list alert-list-fired' aria-label={`Fired alerts of ${symbol}`}>
            {fired.map(({ alert, price, at }) => (
              <li key={alert.id} class='alert-item alert-item-fired'>
                <span class='alert-direction' aria-hidden='true'>✓</span>
                <span class='alert-text'>
                  <span class='alert-price'>Fired: {alert.direction} {fmt.exactPrice(alert.price)}</span>
                  <span class='alert-meta'>traded at {fmt.price(price)} · {fmt.clockTime(at)}</span>
                </span>
                <button type='button' class='icon-button' aria-label='Dismiss' onClick={() => dismissFiredAlert(alert.id)}>
                  <CloseIcon size={16} />
                </button>
              </li>
            ))}
          </ul>
          )
        : null}

      {mine.length > 0
        ? (
          <ul class='alert-list' aria-label={`Pending alerts of ${symbol}`}>
            {mine.map((alert) => <AlertItem key={alert.id} alert={alert} quote={quote} />)}
          </ul>
          )
        : state.status === 'ready' || state.status === 'error'
          ? <p class='alerts-empty'>No alerts on {symbol} yet. You get a notification when a trade crosses your price.</p>
          : null}
    </section>
  )
}
