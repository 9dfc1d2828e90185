import { useState } from 'preact/hooks'
import { HashIcon, LockIcon } from '../ui/icons.tsx'
import { navigate, paths } from '../ui/router.ts'
import { ChatDialog, DialogFormEnd } from './chat-dialog.tsx'
import { createRoom } from './room-requests.ts'
import { describeRequestError } from './describe-chat-error.ts'
import { RoomFields, useRoomFields } from './room-fields.tsx'
import { validateRoomName, validateTopic } from './room-rules.ts'

type Visibility = 'public' | 'private'

const choices: { value: Visibility, label: string, text: string }[] = [
  { value: 'public', label: 'Public', text: 'Anyone can find it and join in.' },
  { value: 'private', label: 'Private', text: 'Only people you invite can see it.' }
]

/** Name, topic and who can see it; checked with the shared limits before anything is sent. */
export const NewRoomDialog = ({ onClose }: { onClose: () => void }) => {
  const [visibility, setVisibility] = useState<Visibility>('public')
  const [submitted, setSubmitted] = useState(false)
  const [busy, setBusy] = useState(false)
  const [serverError, setServerError] = useState<string | null>(null)
  const fields = useRoomFields({ name: '', topic: '' }, () => setServerError(null))
  const { name, topic } = fields

  const nameError = submitted || name.length > 0 ? validateRoomName(name) : null
  const topicError = validateTopic(topic)

  const onSubmit = async (event: Event) => {
    event.preventDefault()
    if (busy) return
    setSubmitted(true)
    setServerError(null)
    if (validateRoomName(name) || topicError) {
      ;(event.currentTarget as HTMLFormElement).querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()
      return
    }
    setBusy(true)
    const result = await createRoom({ name: name.trim(), topic: topic.trim(), visibility })
    setBusy(false)
    if (!result.ok) {
      setServerError(describeRequestError(result.error))
      return
    }
    onClose()
    navigate(paths.room(result.data.id))
  }

  return (
    <ChatDialog title='New room' description='A place for a topic, a team or a project.' onClose={onClose}>
      <form class='chat-form' onSubmit={onSubmit} noValidate>
        <RoomFields {...fields.props} nameError={nameError} topicError={topicError} isNew />
        <fieldset class='choice-group'>
          <legend class='field-label'>Who can see it</legend>
          <div class='choice-cards'>
            {choices.map((choice) => (
              <label key={choice.value} class='choice-card'>
                <input
                  type='radio'
                  name='visibility'
                  value={choice.value}
                  checked={visibility === choice.value}
                  onChange={() => setVisibility(choice.value)}
                />
                <span class='choice-icon' aria-hidden='true'>
                  {choice.value === 'public' ? <HashIcon size={18} /> : <LockIcon size={18} />}
                </span>
                <span class='choice-text'>
                  <span class='choice-label'>{choice.label}</span>
                  <span class='choice-hint'>{choice.text}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        <DialogFormEnd error={serverError} busy={busy} submitLabel='Create room' busyLabel='Creating…' onCancel={onClose} />
      </form>
    </ChatDialog>
  )
}
