import { useEffect, useId, useMemo, useRef, useState } from 'preact/hooks'
import { ImageMimes } from '../../../shared/images.ts'
import { DISPLAY_NAME_MAX_LENGTH, STATUS_MAX_LENGTH } from '../../../shared/people.ts'
import { ChatDialog, DialogFormEnd } from '../chat/chat-dialog.tsx'
import { describeRequestError } from '../chat/describe-chat-error.ts'
import { prepareAvatar } from '../chat/images/prepare-image.ts'
import { UserAvatar } from '../chat/user-avatar.tsx'
import { AlertIcon } from '../ui/icons.tsx'
import { TextField } from '../ui/text-field.tsx'
import { CLEAR_AFTER_CHOICES, timeZoneChoices } from './local-time.ts'
import { profiles, removeAvatar, setAvatar, statusShown, updateProfile } from './people-store.ts'
import { validateDisplayName, validateStatus } from './profile-rules.ts'

/** An avatar change under way: a picture uploading (with its preview), or going back to the generated one. */
type AvatarWork = { kind: 'upload', previewUrl: string, progress: number } | { kind: 'remove' }

/**
 * The avatar part of the profile: pick a picture (cropped to a square and scaled down here, then
 * uploaded at once, with its progress and a Cancel) or go back to the generated avatar.
 */
function useAvatarChange () {
  const [work, setWork] = useState<AvatarWork | null>(null)
  const [error, setError] = useState<string | null>(null)
  const abort = useRef<AbortController | null>(null)

  const stop = () => {
    abort.current?.abort()
    abort.current = null
    setWork((current) => {
      if (current?.kind === 'upload') URL.revokeObjectURL(current.previewUrl)
      return null
    })
  }
  // Closing the dialog cancels an upload under way.
  useEffect(() => stop, [])

  const upload = async (file: File) => {
    stop()
    setError(null)
    const prepared = await prepareAvatar(file)
    if (!prepared.ok) {
      setError(prepared.reason)
      return
    }
    const controller = new AbortController()
    abort.current = controller
    const previewUrl = URL.createObjectURL(prepared.blob)
    setWork({ kind: 'upload', previewUrl, progress: 0 })
    const result = await setAvatar(prepared.blob, (progress) => {
      if (abort.current === controller) setWork({ kind: 'upload', previewUrl, progress })
    }, controller.signal)
    if (abort.current !== controller) return
    abort.current = null
    URL.revokeObjectURL(previewUrl)
    setWork(null)
    if (!result.ok && result.error) setError(describeRequestError(result.error))
  }

  const remove = async () => {
    stop()
    setError(null)
    setWork({ kind: 'remove' })
    const result = await removeAvatar()
    setWork(null)
    if (!result.ok) setError(describeRequestError(result.error))
  }

  return { work, error, upload, remove, cancel: stop }
}

/** Display name, status (with "clear after"), time zone and avatar (an uploaded picture, or the one drawn from the user's id). */
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
  const avatarHintId = useId()
  const fileInput = useRef<HTMLInputElement>(null)
  const avatar = useAvatarChange()
  const hasPicture = current?.avatarId !== undefined

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
          <UserAvatar
            user={me}
            size='l'
            name={displayName.trim() || me.username}
            picture={avatar.work?.kind === 'upload' ? avatar.work.previewUrl : avatar.work?.kind === 'remove' ? null : undefined}
          />
          <div class='profile-preview-text'>
            <span class='profile-card-name'>{displayName.trim() || me.username}</span>
            <span class='profile-card-username'>@{me.username}</span>
          </div>
        </div>
        <div class='field profile-avatar' role='group' aria-label='Avatar' aria-describedby={avatarHintId}>
          <div class='profile-avatar-actions'>
            <input
              ref={fileInput}
              type='file'
              accept={ImageMimes.join(',')}
              class='visually-hidden'
              tabIndex={-1}
              aria-hidden='true'
              onChange={(event) => {
                const file = event.currentTarget.files?.[0]
                event.currentTarget.value = ''
                if (file) avatar.upload(file)
              }}
            />
            <button type='button' class='button small' onClick={() => { if (avatar.work === null) fileInput.current?.click() }} aria-disabled={avatar.work !== null}>
              {hasPicture ? 'Change picture…' : 'Upload a picture…'}
            </button>
            {avatar.work?.kind === 'upload'
              ? <button type='button' class='button small ghost' onClick={() => avatar.cancel()}>Cancel upload</button>
              : hasPicture
                ? <button type='button' class='button small ghost' onClick={() => { if (avatar.work === null) avatar.remove() }} aria-disabled={avatar.work !== null}>Use generated avatar</button>
                : null}
          </div>
          {avatar.work?.kind === 'upload'
            ? <progress class='profile-avatar-progress' max={1} value={avatar.work.progress} aria-label='Uploading your picture' />
            : null}
          {avatar.error
            ? <p class='field-error' id={avatarHintId} role='alert'><AlertIcon size={16} /><span>{avatar.error}</span></p>
            : (
              <p class='field-hint' id={avatarHintId}>
                {hasPicture
                  ? 'Everyone sees your picture beside your messages. It changes at once.'
                  : 'Drawn from your account and your name. A picture (PNG, JPEG, GIF or WebP) is cropped to a square; it changes at once.'}
              </p>
              )}
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
