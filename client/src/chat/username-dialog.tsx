import { useState } from 'preact/hooks'
import type { ErrorInfo } from '../../../shared/protocol.ts'
import { validateCredential } from '../auth/credential-rules.ts'
import { TextField } from '../ui/text-field.tsx'
import { ChatDialog, DialogFormEnd } from './chat-dialog.tsx'
import { describeRequestError } from './describe-chat-error.ts'

interface UsernameDialogProps {
  title: string
  description: string
  submitLabel: string
  busyLabel: string
  /** Names that make no sense here (oneself), with why. */
  refuse?: (username: string) => string | null
  /** Resolves to null when done, or to the error to show. */
  submit: (username: string) => Promise<ErrorInfo | null>
  onClose: () => void
}

/**
 * Asks for someone's username (a direct message, an invitation): the shared username rules are
 * checked first, and "nobody by that name" is said on the field itself.
 */
export const UsernameDialog = ({ title, description, submitLabel, busyLabel, refuse, submit, onClose }: UsernameDialogProps) => {
  const [username, setUsername] = useState('')
  const [submitted, setSubmitted] = useState(false)
  const [busy, setBusy] = useState(false)
  const [fieldError, setFieldError] = useState<string | null>(null)
  const [formError, setFormError] = useState<string | null>(null)

  const value = username.trim()
  const clientError = validateCredential('username', value) ?? refuse?.(value) ?? null
  const shownError = fieldError ?? (submitted ? clientError : null)

  const onSubmit = async (event: Event) => {
    event.preventDefault()
    if (busy) return
    setSubmitted(true)
    setFormError(null)
    if (clientError) {
      ;(event.currentTarget as HTMLFormElement).querySelector<HTMLInputElement>('input')?.focus()
      return
    }
    setBusy(true)
    const error = await submit(value)
    setBusy(false)
    if (!error) return
    if (error.code === 'not_found' || error.code === 'invalid_payload') setFieldError(describeRequestError(error, value))
    else setFormError(describeRequestError(error, value))
  }

  return (
    <ChatDialog title={title} description={description} onClose={onClose}>
      <form class='chat-form' onSubmit={onSubmit} noValidate>
        <TextField
          label='Username'
          name='username'
          value={username}
          onInput={(next) => { setUsername(next); setFieldError(null); setFormError(null) }}
          error={shownError}
          autoComplete='off'
          spellCheck={false}
          autoCapitalize='none'
        />
        <DialogFormEnd error={formError} busy={busy} submitLabel={submitLabel} busyLabel={busyLabel} onCancel={onClose} />
      </form>
    </ChatDialog>
  )
}
