import { useSignal, type ReadonlySignal } from '@preact/signals'
import { useEffect, useId, useRef } from 'preact/hooks'
import { MAX_PENDING_ALERTS, type Alert, type AlertDirection, type Quote } from '../../../shared/ticker.ts'
import { AlertIcon, BellIcon, CloseIcon, TrashIcon } from '../ui/icons.tsx'
import { AlertKindSelect, directionWords, MoveFields, useAlertDraft } from './alert-form.tsx'
import { alertCrossed, alertHint, checkAlertDraft, describeAlert, describeAlertError, distanceToAlert, firesAtOnceWarning, suggestAlertPrice } from './alert-rules.ts'
import { marketFormats as fmt } from './format.ts'
import { alertsState, createAlert, deleteAlert, dismissFiredAlert, firedAlerts } from './ticker-socket.ts'

const capitalised = (word: string) => word.charAt(0).toUpperCase() + word.slice(1)

/** The price typed as a plain number in cents, the way the field shows suggestions. */
const plain = (price: number) => price.toFixed(2)

const AlertItem = ({ alert, quote }: { alert: Alert, quote: ReadonlySignal<Quote> | null }) => {
  const deleting = useSignal(false)
  const error = useSignal<string | null>(null)
  // Read in render (not a computed made at mount): the quote may arrive after the alert, on a deep link.
  const price = quote?.value.price ?? null
  const cross = alert.kind === undefined || alert.kind === 'cross'
  const distance = price === null || !cross ? '' : alertCrossed(alert, price) ? 'crossing now · ' : `${fmt.distancePct(distanceToAlert(alert, price))} away · `
  const remove = async () => {
    deleting.value = true
    error.value = await deleteAlert(alert.id)
    deleting.value = false
  }
  const label = describeAlert(alert)
  return (
    <li class='alert-item' data-direction={alert.direction}>
      <span class='alert-direction' aria-hidden='true'>{alert.direction === 'above' ? '▲' : '▼'}</span>
      <span class='alert-text'>
        <span class='alert-price'>{label}</span>
        <span class='alert-meta'>{distance}set {fmt.clockTime(alert.createdAt)}</span>
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

/** The line under the price field; its own component so that only it re-renders with every trade. */
const AlertHint = ({ id, quote, text, direction }: { id: string, quote: ReadonlySignal<Quote> | null, text: string, direction: AlertDirection }) => (
  <p class='field-hint alert-hint' id={id}>{alertHint(quote?.value.price ?? null, text, direction)}</p>
)

/**
 * Price alerts of one symbol: a form to set one of any kind (the alerts page's kinds and fields):
 * above or below a price (about 1 % away from the live price until the user types their own,
 * asking first when the price has already crossed it), or a move up or down by a percent within
 * the day or within minutes; checked against the shared schema before sending. Below it the
 * pending ones with delete; fired alerts move to a short "fired" list.
 */
export const AlertPanel = ({ symbol, quote }: { symbol: string, quote: ReadonlySignal<Quote> | null }) => {
  const id = useId()
  const draft = useAlertDraft('cross')
  const direction = draft.direction
  const kind = draft.kind.value
  const text = useSignal('')
  const edited = useSignal(false)
  const fieldError = useSignal<string | null>(null)
  const serverError = useSignal<string | null>(null)
  const busy = useSignal(false)
  /** The alert the user was warned would fire at once (as JSON): a second submit sets it. */
  const warned = useSignal<string | null>(null)
  const announcement = useSignal('')
  const input = useRef<HTMLInputElement>(null)
  const form = useRef<HTMLFormElement>(null)
  const dir = direction.value

  // A suggestion near the live price, following every trade until the user types their own; not
  // while the field has focus: a new value there moves the caret and drops a selection, so what
  // the user types next (over the whole suggestion, selected) would land after it instead.
  useEffect(() => {
    if (quote === null) return
    return quote.subscribe(({ price }) => {
      if (!edited.peek() && document.activeElement !== input.current) text.value = plain(suggestAlertPrice(price, dir))
    })
  }, [quote, dir])

  const submit = async (event: Event) => {
    event.preventDefault()
    if (busy.value) return
    serverError.value = null
    const checked = checkAlertDraft(symbol, draft.read(text.value))
    draft.invalid.value = checked.ok ? null : checked.field
    if (!checked.ok) {
      fieldError.value = checked.error
      if (checked.field === 'amount' && draft.kind.peek() === 'cross') input.current?.focus()
      else form.current?.querySelector<HTMLInputElement>(checked.field === 'amount' ? '.alert-pct-field input' : '.alert-minutes-field input')?.focus()
      return
    }
    fieldError.value = null
    const alert = checked.alert
    const key = JSON.stringify(alert)
    if (warned.value !== key && firesAtOnceWarning(alert, quote?.peek() ?? null) !== null) {
      warned.value = key
      return
    }
    warned.value = null
    busy.value = true
    const result = await createAlert(alert)
    busy.value = false
    if (!result.ok) {
      serverError.value = describeAlertError(result.error)
      return
    }
    announcement.value = `Alert set: ${symbol} ${describeAlert(result.data.alert).toLowerCase()}.`
    if ('price' in alert) {
      edited.value = false
      if (quote !== null) text.value = plain(suggestAlertPrice(quote.peek().price, direction.value))
    }
  }

  const typed = checkAlertDraft(symbol, draft.read(text.value))
  const warning = typed.ok && warned.value === JSON.stringify(typed.alert) ? firesAtOnceWarning(typed.alert, quote?.peek() ?? null) : null

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

      <form class='alert-form' ref={form} onSubmit={submit} noValidate data-kind={kind}>
        <AlertKindSelect draft={draft} class='ap-field alert-kind-field' />
        <fieldset class='segmented alert-direction-field'>
          <legend class='visually-hidden'>{kind === 'cross' ? 'Alert when the price goes' : 'Alert when the price moves'}</legend>
          {(['above', 'below'] as const).map((value) => (
            <label key={value} class='segmented-option'>
              <input
                type='radio'
                name={`${id}-direction`}
                value={value}
                checked={direction.value === value}
                onChange={() => { direction.value = value }}
              />
              <span>{value === 'above' ? '▲ ' : '▼ '}{capitalised(directionWords(kind, value))}</span>
            </label>
          ))}
        </fieldset>
        {kind === 'cross'
          ? (
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
            )
          : <MoveFields draft={draft} describedBy={fieldError.value ? errorId : undefined} />}
        <button type='submit' class='button primary alert-submit' aria-disabled={busy.value ? 'true' : undefined}>
          {busy.value ? <span class='spinner' aria-hidden='true' /> : null}
          {warning ? 'Set anyway' : 'Set alert'}
        </button>
      </form>
      {fieldError.value
        ? <p class='field-error' id={errorId}><AlertIcon size={16} /><span>{fieldError.value}</span></p>
        : kind === 'cross' ? <AlertHint id={hintId} quote={quote} text={text.value} direction={direction.value} /> : null}
      {warning
        ? <p class='banner banner-warning alert-banner' role='alert'><AlertIcon size={16} /><span>{warning}</span></p>
        : null}
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
                  <span class='alert-price'>Fired: {describeAlert(alert).toLowerCase()}</span>
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
          ? <p class='alerts-empty'>No alerts on {symbol} yet. You get a notification when {kind === 'cross' ? 'a trade crosses your price' : 'the price makes that move'}.</p>
          : null}
    </section>
  )
}
