import { useState } from 'preact/hooks'
import type { Room } from '../../../shared/chat.ts'
import { ChatDialog, DialogFormEnd } from './chat-dialog.tsx'
import { describeRequestError } from './describe-chat-error.ts'
import { updateRoom } from './room-management.ts'
import { RoomFields, useRoomFields } from './room-fields.tsx'
import { validateRoomName, validateTopic } from './room-rules.ts'

/** The room's name and topic, for its owner and admins; only what changed is sent. */
export const EditRoomDialog = ({ room, onClose }: { room: Room, onClose: () => void }) => {
  const [busy, setBusy] = useState(false)
  const [serverError, setServerError] = useState<string | null>(null)
  const fields = useRoomFields(room, () => setServerError(null))
  const { name, topic } = fields
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
        <RoomFields {...fields.props} nameError={nameError} topicError={topicError} />
        <DialogFormEnd error={serverError} busy={busy} submitLabel='Save' busyLabel='Saving…' onCancel={onClose} />
      </form>
    </ChatDialog>
  )
}
