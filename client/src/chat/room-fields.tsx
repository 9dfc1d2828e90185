import { useState } from 'preact/hooks'
import { TextField } from '../ui/text-field.tsx'
import { roomNameLimits, topicLimits } from './room-rules.ts'

interface RoomFieldsProps {
  name: string
  topic: string
  setName: (value: string) => void
  setTopic: (value: string) => void
  /** Any edit (the server's last complaint is stale). */
  onEdit: () => void
  nameError: string | null
  topicError: string | null
  /** A new room's form: an example name, and the topic marked optional. */
  isNew?: boolean
}

/** The name and topic a room form holds, and the fields' props; `onEdit` runs on every keystroke. */
export const useRoomFields = (initial: { name: string, topic: string }, onEdit: () => void) => {
  const [name, setName] = useState(initial.name)
  const [topic, setTopic] = useState(initial.topic)
  return { name, topic, props: { name, topic, setName, setTopic, onEdit } }
}

/** A room's name and topic fields, with the shared limits: the new-room and edit-room forms. */
export const RoomFields = ({ name, topic, setName, setTopic, onEdit, nameError, topicError, isNew = false }: RoomFieldsProps) => {
  const onName = (value: string) => { setName(value); onEdit() }
  const onTopic = (value: string) => { setTopic(value); onEdit() }
  const nameHint = `${roomNameLimits.minLength}–${roomNameLimits.maxLength} characters${isNew ? ', e.g. “book club”' : ''}.`
  const topicLabel = isNew ? 'Topic (optional)' : 'Topic'
  return (
    <>
      <TextField
        label='Name'
        name='name'
        value={name}
        onInput={onName}
        error={nameError}
        hint={nameHint}
        maxLength={roomNameLimits.maxLength}
        autoComplete='off'
      />
      <TextField
        label={topicLabel}
        name='topic'
        value={topic}
        onInput={onTopic}
        error={topicError}
        hint='What the room is about, shown under its name.'
        maxLength={topicLimits.maxLength}
        autoComplete='off'
      />
    </>
  )
}
