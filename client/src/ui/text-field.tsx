import type { ComponentChildren, Ref } from 'preact'
import { useId } from 'preact/hooks'
import { AlertIcon } from './icons.tsx'

interface TextFieldProps {
  label: string
  name: string
  value: string
  onInput: (value: string) => void
  onBlur?: () => void
  type?: 'text' | 'password'
  autoComplete?: string
  hint?: string | null
  error?: string | null
  maxLength?: number
  inputRef?: Ref<HTMLInputElement>
  /** Something inside the input's frame, after the text (e.g. a show-password button). */
  trailing?: ComponentChildren
  spellCheck?: boolean
  autoCapitalize?: 'none' | 'off' | 'on'
}

/** A labelled input with its hint and its inline error, wired together for assistive tech. */
export const TextField = ({
  label, name, value, onInput, onBlur, type = 'text', autoComplete, hint, error, maxLength,
  inputRef, trailing, spellCheck, autoCapitalize
}: TextFieldProps) => {
  const id = useId()
  const hintId = `${id}-hint`
  const errorId = `${id}-error`
  // The error replaces the hint while there is one (it says what the hint would, more precisely).
  const describedBy = error ? errorId : hint ? hintId : undefined
  return (
    <div class='field' data-invalid={error ? '' : undefined}>
      <label class='field-label' for={id}>{label}</label>
      <div class='field-control'>
        <input
          ref={inputRef}
          id={id}
          name={name}
          type={type}
          class='field-input'
          value={value}
          autoComplete={autoComplete}
          maxLength={Number.isFinite(maxLength) ? maxLength : undefined}
          spellcheck={spellCheck}
          autoCapitalize={autoCapitalize}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          onInput={(event) => onInput(event.currentTarget.value)}
          onBlur={onBlur}
        />
        {trailing}
      </div>
      {error
        ? (
          <p class='field-error' id={errorId}>
            <AlertIcon size={16} />
            <span>{error}</span>
          </p>
          )
        : null}
      {hint && !error ? <p class='field-hint' id={hintId}>{hint}</p> : null}
    </div>
  )
}
