import { useSignal, type Signal } from '@preact/signals'
import type { JSX } from 'preact'
import { MAX_ALERT_WINDOW_MINUTES, type AlertDirection } from '../../../shared/ticker.ts'
import { alertFormKinds, type AlertDraft, type AlertFormKind } from './alert-rules.ts'

/**
 * What a new alert form holds while the user fills it in, shared by the alerts page and the
 * symbol panel: the kind, the direction, the amount (a price or a percent) and a move's window.
 */
export interface AlertDraftState {
  kind: Signal<AlertFormKind>
  direction: Signal<AlertDirection>
  /** A move's percent (a crossing's price is the amount too on the alerts page). */
  amount: Signal<string>
  minutes: Signal<string>
  /** Which field the last check refused, for aria-invalid and focus. */
  invalid: Signal<'amount' | 'minutes' | null>
  /** The draft as typed, with `amount` standing in for the price of a crossing unless given. */
  read: (price?: string) => AlertDraft
}

export const useAlertDraft = (kind: AlertFormKind, amount = '1'): AlertDraftState => {
  const state = {
    kind: useSignal(kind),
    direction: useSignal<AlertDirection>('above'),
    amount: useSignal(amount),
    minutes: useSignal('15'),
    invalid: useSignal<'amount' | 'minutes' | null>(null)
  }
  return {
    ...state,
    read: (price) => ({
      kind: state.kind.peek(),
      direction: state.direction.peek(),
      amount: state.kind.peek() === 'cross' && price !== undefined ? price : state.amount.peek(),
      minutes: state.minutes.peek()
    })
  }
}

/** The words for a direction: a crossing goes above or below, a move up or down. */
export const directionWords = (kind: AlertFormKind, direction: AlertDirection) =>
  kind === 'cross' ? direction : direction === 'above' ? 'up' : 'down'

/** "When it": crosses a price, moves within the day, moves within minutes. */
export const AlertKindSelect = ({ draft, class: className = 'ap-field' }: { draft: AlertDraftState, class?: string }) => (
  <label class={className}>
    <span>When it</span>
    <select
      class='field-input'
      value={draft.kind.value}
      onChange={(event) => {
        draft.kind.value = event.currentTarget.value as AlertFormKind
        draft.invalid.value = null
      }}
    >
      {(Object.keys(alertFormKinds) as AlertFormKind[]).map((kind) => <option key={kind} value={kind}>{alertFormKinds[kind]}</option>)}
    </select>
  </label>
)

/** One field of a move alert's draft, marked invalid when the check names it. */
const DraftField = ({ draft, field, label, class: className, describedBy, ...input }: {
  draft: AlertDraftState
  field: 'amount' | 'minutes'
  label: string
  class: string
  describedBy: string | undefined
} & Pick<JSX.InputHTMLAttributes<HTMLInputElement>, 'type' | 'min' | 'max' | 'inputMode' | 'autoComplete'>) => (
  <label class={`ap-field ${className}`}>
    <span>{label}</span>
    <input
      class='field-input'
      {...input}
      value={draft[field].value}
      aria-invalid={draft.invalid.value === field ? true : undefined}
      aria-describedby={draft.invalid.value === field ? describedBy : undefined}
      onInput={(event) => {
        draft[field].value = event.currentTarget.value
        draft.invalid.value = null
      }}
    />
  </label>
)

/** The percent of a move and, for a move within minutes, the window. */
export const MoveFields = ({ draft, describedBy }: { draft: AlertDraftState, describedBy?: string }) => (
  <>
    <DraftField draft={draft} field='amount' label='By %' class='alert-pct-field' describedBy={describedBy} inputMode='decimal' autoComplete='off' />
    {draft.kind.value === 'window-move'
      ? <DraftField draft={draft} field='minutes' label='Within minutes' class='alert-minutes-field' describedBy={describedBy} type='number' min={1} max={MAX_ALERT_WINDOW_MINUTES} />
      : null}
  </>
)
