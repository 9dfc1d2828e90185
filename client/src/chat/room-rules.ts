import type { TStringOptions } from 'typebox'
import { MESSAGE_MAX_LENGTH, MessageTextSchema, RoomNameSchema, TopicSchema } from '../../../shared/chat.ts'
import { matchesPattern } from '../../../shared/schemas.ts'

// The limits live in the shared schemas the server validates with; the forms only read them.
// (TypeBox's TString type does not declare the keywords, though the schema object carries them.)
const limitsOf = (schema: object) => {
  const { minLength, maxLength } = schema as TStringOptions
  return {
    minLength: typeof minLength === 'number' ? minLength : 0,
    maxLength: typeof maxLength === 'number' ? maxLength : Number.POSITIVE_INFINITY
  }
}

export const roomNameLimits = limitsOf(RoomNameSchema)
export const topicLimits = limitsOf(TopicSchema)

// JSON Schema counts code points, not UTF-16 units.
export const lengthOf = (value: string) => [...value].length

/** The name as it will be sent (trimmed), and the first problem with it, or null. */
export const validateRoomName = (value: string): string | null => {
  const name = value.trim()
  if (name === '') return 'Give the room a name.'
  if (lengthOf(name) < roomNameLimits.minLength) return `A room name needs at least ${roomNameLimits.minLength} characters.`
  if (lengthOf(name) > roomNameLimits.maxLength) return `A room name can have at most ${roomNameLimits.maxLength} characters.`
  if (!matchesPattern(RoomNameSchema, name)) return 'A room name is one line that starts and ends with a visible character.'
  return null
}

export const validateTopic = (value: string): string | null => {
  const topic = value.trim()
  if (lengthOf(topic) > topicLimits.maxLength) return `A topic can have at most ${topicLimits.maxLength} characters.`
  return matchesPattern(TopicSchema, topic) ? null : 'The topic has a character that cannot be stored (a lone surrogate or a NUL).'
}

/** When the composer starts showing how much room is left. */
export const MESSAGE_COUNTER_FROM = MESSAGE_MAX_LENGTH - 500

export interface MessageLength {
  /** What would be sent: the text without surrounding white space. */
  text: string
  length: number
  remaining: number
  /** Show the counter (close to the limit, or over it). */
  showCounter: boolean
  canSend: boolean
}

export const measureMessage = (value: string): MessageLength => {
  const text = value.trim()
  const length = lengthOf(text)
  const remaining = MESSAGE_MAX_LENGTH - length
  // Text with nothing visible (zero-width spaces) or a broken character is what the server refuses.
  const canSend = length > 0 && remaining >= 0 && matchesPattern(MessageTextSchema, text)
  return { text, length, remaining, showCounter: length >= MESSAGE_COUNTER_FROM, canSend }
}
