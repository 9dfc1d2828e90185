import { useSignal } from '@preact/signals'
import { useEffect } from 'preact/hooks'
import { MAX_PENDING_ALERTS, type Alert, type AlertDirection } from '../../../shared/ticker.ts'
import { ArrowLeftIcon, RetryIcon, TrashIcon } from '../ui/icons.tsx'
import { Link } from '../ui/link.tsx'
import { paths } from '../ui/router.ts'
import { AlertKindSelect, directionWords, MoveFields, useAlertDraft } from './alert-form.tsx'
import { checkAlertDraft, describeAlert, describeAlertError } from './alert-rules.ts'
import { marketFormats as fmt } from './format.ts'
import { alertsState, createAlert, deleteAlert, deleteFiredAlert, firedHistory, quoteBoard, rearmAlert, refreshAlerts, refreshFiredAlerts } from './ticker-socket.ts'

// Other views import the description from here.
export { describeAlert }

const AlertRow = ({ alert, fired }: { alert: Alert, fired: boolean }) => {
  const busy = useSignal(false)
  const error = useSignal<string | null>(null)
  const run = async (action: () => Promise<string | null>) => {
    busy.value = true
    error.value = await action()
    busy.value = false
  }
  const what = describeAlert(alert)
  return (
    <li class='ap-row' data-alert={alert.id}>
      <Link class='ap-symbol' href={paths.symbol(alert.symbol)}>{alert.symbol}</Link>
      <span class='ap-what'>{what}</span>
      <span class='ap-when'>
        {fired && alert.firedAt != null
          ? <>fired {fmt.clockTime(alert.firedAt)}{alert.firedPrice != null ? ` at ${fmt.price(alert.firedPrice)}` : ''}</>
          : <>set {fmt.clockTime(alert.createdAt)}</>}
      </span>
      <span class='ap-actions'>
        {fired
          ? <button type='button' class='button' disabled={busy.value} onClick={() => run(() => rearmAlert(alert.id))} aria-label={`Re-arm ${alert.symbol} ${what}`}><RetryIcon size={15} />Re-arm</button>
          : null}
        <button type='button' class='icon-button' disabled={busy.value} aria-label={`Delete ${alert.symbol} ${what}`} onClick={() => run(() => fired ? deleteFiredAlert(alert.id) : deleteAlert(alert.id))}>
          <TrashIcon size={16} />
        </button>
      </span>
      {error.value ? <span class='field-error ap-error' role='alert'>{error.value}</span> : null}
    </li>
  )
}

/** A new alert of any kind on any symbol. */
const NewAlertForm = () => {
  const symbol = useSignal('')
  const draft = useAlertDraft('day-move')
  const error = useSignal<string | null>(null)
  const submit = async (event: Event) => {
    event.preventDefault()
    const sym = symbol.value.trim().toUpperCase()
    if (!quoteBoard.symbols.peek().includes(sym)) {
      error.value = 'Choose a listed symbol.'
      return
    }
    const checked = checkAlertDraft(sym, draft.read())
    draft.invalid.value = checked.ok ? null : checked.field
    if (!checked.ok) {
      error.value = checked.error
      return
    }
    const result = await createAlert(checked.alert)
    error.value = result.ok ? null : describeAlertError(result.error)
  }
  const kind = draft.kind.value
  return (
    <form class='ap-form' onSubmit={submit}>
      <label class='ap-field'><span>Symbol</span>
        <input class='field-input' list='ap-symbols' value={symbol.value} onInput={(e) => { symbol.value = e.currentTarget.value }} autoComplete='off' spellcheck={false} required />
      </label>
      <datalist id='ap-symbols'>{quoteBoard.symbols.value.map((s) => <option key={s} value={s} />)}</datalist>
      <AlertKindSelect draft={draft} />
      <label class='ap-field'><span>Direction</span>
        <select class='field-input' value={draft.direction.value} onChange={(e) => { draft.direction.value = e.currentTarget.value as AlertDirection }}>
          <option value='above'>{directionWords(kind, 'above')}</option>
          <option value='below'>{directionWords(kind, 'below')}</option>
        </select>
      </label>
      {kind === 'cross'
        ? (
          <label class='ap-field'><span>Price</span>
            <input class='field-input' inputMode='decimal' value={draft.amount.value} aria-invalid={draft.invalid.value === 'amount' ? true : undefined} onInput={(e) => { draft.amount.value = e.currentTarget.value }} />
          </label>
          )
        : <MoveFields draft={draft} />}
      <button type='submit' class='button primary'>Set alert</button>
      {error.value ? <p class='field-error ap-form-error' role='alert'>{error.value}</p> : null}
    </form>
  )
}

/** Every alert of the user in one place: pending and fired, across symbols, with delete and re-arm. */
export const AlertsPage = () => {
  useEffect(() => {
    refreshAlerts()
    refreshFiredAlerts()
  }, [])
  const pending = alertsState.value
  const fired = firedHistory.value
  return (
    <section class='market-page' aria-labelledby='alerts-title' tabIndex={-1} data-route-focus>
      <header class='market-page-header'>
        <Link class='detail-back page-back' href={paths.market}><ArrowLeftIcon size={18} /><span>Market</span></Link>
        <h1 id='alerts-title' class='board-title'>Alerts</h1>
        <span class='alerts-count'>{pending.alerts.length} of {MAX_PENDING_ALERTS} pending</span>
      </header>
      <NewAlertForm />
      <h2 class='detail-section-title'>Pending</h2>
      {pending.status === 'error' ? <p class='banner banner-error'>Alerts could not be loaded: {pending.error}</p> : null}
      {pending.alerts.length > 0
        ? <ul class='ap-list' aria-label='Pending alerts'>{pending.alerts.map((alert) => <AlertRow key={alert.id} alert={alert} fired={false} />)}</ul>
        : <p class='wl-empty'>No pending alerts.</p>}
      <h2 class='detail-section-title'>Fired</h2>
      {fired?.error ? <p class='banner banner-error'>Fired alerts could not be loaded: {fired.error}</p> : null}
      {fired !== null && fired.alerts.length > 0
        ? <ul class='ap-list' aria-label='Fired alerts'>{fired.alerts.map((alert) => <AlertRow key={alert.id} alert={alert} fired />)}</ul>
        : <p class='wl-empty'>{fired === null ? 'Loading…' : 'No fired alerts.'}</p>}
    </section>
  )
}
