import { useState } from 'preact/hooks'
import type { Room } from '../../../shared/chat.ts'
import { TextField } from '../ui/text-field.tsx'
import { ChatDialog, DialogFormEnd } from './chat-dialog.tsx'
import { describeRequestError } from './describe-chat-error.ts'
import { updateRoom } from './room-management.ts'
import { roomNameLimits, topicLimits, validateRoomName, validateTopic } from './room-rules.ts'

/** The room's name and topic, for its owner and admins; only what changed is sent. */
export const EditRoomDialog = ({ room, onClose }: { room: Room, onClose: () => void }) => {
  const [name, setName] = useState(room.name)
  const [topic, setTopic] = useState(room.topic)
  const [busy, setBusy] = useState(false)
  const [serverError, setServerError] = useState<string | null>(null)
  const nameError = validateRoomName(name)
  const topicError = validateTopic(topic)

  const onSubmit = async (event: Event) => {
    event.preventDefault()
    if (busy) return
    setServerError(null)
    if (nameError || topicError) {
      ;(event.currentTarget as HTMLFormElement).querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()
      return
    }
    const change = {
      ...(name.trim() !== room.name && { name: name.trim() }),
      ...(topic.trim() !== room.topic && { topic: topic.trim() })
    }
    if (Object.keys(change).length === 0) {
      onClose()
      return
    }
    setBusy(true)
    const result = await updateRoom(room.id, change)
    setBusy(false)
    if (!result.ok) {
      setServerError(describeRequestError(result.error))
      return
    }
    onClose()
  }

  return (
    <ChatDialog title={`Edit ${room.name}`} description='Everyone in the room sees the change at once.' onClose={onClose}>
      <form class='chat-form' onSubmit={onSubmit} noValidate>
        <TextField
          label='Name'
          name='name'
          value={name}
          onInput={(value) => { setName(value); setServerError(null) }}
          error={nameError}
          hint={`${roomNameLimits.minLength}–${roomNameLimits.maxLength} characters.`}
          maxLength={roomNameLimits.maxLength}
          autoComplete='off'
        />
        <TextField
          label='Topic'
          name='topic'
          value={topic}
          onInput={(value) => { setTopic(value); setServerError(null) }}
          error={topicError}
          hint='What the room is about, shown under its name.'
          maxLength={topicLimits.maxLength}
          autoComplete='off'
        />
        <DialogFormEnd error={serverError} busy={busy} submitLabel='Save' busyLabel='Saving…' onCancel={onClose} />
      </form>
    </ChatDialog>
  )
}
