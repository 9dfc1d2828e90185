import { useId, useMemo, useState } from 'preact/hooks'
import { DISPLAY_NAME_MAX_LENGTH, STATUS_MAX_LENGTH } from '../../../shared/people.ts'
import { ChatDialog, DialogFormEnd } from '../chat/chat-dialog.tsx'
import { describeRequestError } from '../chat/describe-chat-error.ts'
import { UserAvatar } from '../chat/user-avatar.tsx'
import { TextField } from '../ui/text-field.tsx'
import { CLEAR_AFTER_CHOICES, timeZoneChoices } from './local-time.ts'
import { profiles, statusShown, updateProfile } from './people-store.ts'
import { validateDisplayName, validateStatus } from './profile-rules.ts'

/** Display name, status (with "clear after") and time zone; the avatar is drawn from the user's id and shown as it will look. */
export const ProfileSettingsDialog = ({ me, onClose }: { me: { id: string, username: string }, onClose: () => void }) => {
  const current = profiles.value.get(me.id)
  const [displayName, setDisplayName] = useState(current?.displayName ?? '')
  const [status, setStatus] = useState(statusShown(current, Date.now()) ? current!.statusText : '')
  const [clearAfter, setClearAfter] = useState('')
  const zones = useMemo(timeZoneChoices, [])
  const [timeZone, setTimeZone] = useState(current?.timeZone || zones[0]!)
  const [busy, setBusy] = useState(false)
  const [serverError, setServerError] = useState<string | null>(null)
  const clearId = useId()
  const zoneId = useId()

  const nameError = validateDisplayName(displayName)
  const statusError = validateStatus(status)

  const onSubmit = async (event: Event) => {
    event.preventDefault()
    if (busy) return
    if (nameError || statusError) {
      ;(event.currentTarget as HTMLFormElement).querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()
      return
    }
    setBusy(true)
    setServerError(null)
    const minutes = CLEAR_AFTER_CHOICES.find((choice) => String(choice.minutes) === clearAfter)?.minutes ?? null
    const result = await updateProfile({
      displayName: displayName.trim(),
      statusText: status.trim(),
      ...(minutes !== null && status.trim() !== '' && { statusClearAfterMinutes: minutes }),
      timeZone
    })
    setBusy(false)
    if (!result.ok) {
      setServerError(describeRequestError(result.error))
      return
    }
    onClose()
  }

  return (
    <ChatDialog title='Your profile' description='What people see on your profile card and beside your messages.' onClose={onClose}>
      <form class='chat-form' onSubmit={onSubmit} noValidate>
        <div class='profile-preview'>
          <UserAvatar user={me} size='l' name={displayName.trim() || me.username} />
          <div class='profile-preview-text'>
            <span class='profile-card-name'>{displayName.trim() || me.username}</span>
            <span class='profile-card-username'>@{me.username}</span>
            <span class='field-hint'>Your avatar is drawn from your account and your name; it is the same on every device.</span>
          </div>
        </div>
        <TextField
          label='Display name'
          name='displayName'
          value={displayName}
          onInput={(value) => { setDisplayName(value); setServerError(null) }}
          error={nameError}
          hint={`Shown instead of your username; up to ${DISPLAY_NAME_MAX_LENGTH} characters. Empty: your username.`}
          maxLength={DISPLAY_NAME_MAX_LENGTH}
          autoComplete='name'
        />
        <TextField
          label='Status'
          name='status'
          value={status}
          onInput={(value) => { setStatus(value); setServerError(null) }}
          error={statusError}
          hint='What you are up to, e.g. “In a meeting”. Empty: none.'
          maxLength={STATUS_MAX_LENGTH}
          autoComplete='off'
        />
        <div class='field'>
          <label class='field-label' for={clearId}>Clear status after</label>
          <select id={clearId} class='field-input field-select' value={clearAfter} onChange={(event) => setClearAfter(event.currentTarget.value)}>
            {CLEAR_AFTER_CHOICES.map((choice) => <option key={choice.label} value={choice.minutes === null ? '' : String(choice.minutes)}>{choice.label}</option>)}
          </select>
        </div>
        <div class='field'>
          <label class='field-label' for={zoneId}>Time zone</label>
          <select id={zoneId} class='field-input field-select' value={timeZone} onChange={(event) => setTimeZone(event.currentTarget.value)}>
            {zones.map((zone) => <option key={zone} value={zone}>{zone.replaceAll('_', ' ')}</option>)}
          </select>
          <p class='field-hint'>People see your local time on your card.</p>
        </div>
        <DialogFormEnd error={serverError} busy={busy} submitLabel='Save profile' busyLabel='Saving…' onCancel={onClose} />
      </form>
    </ChatDialog>
  )
}
