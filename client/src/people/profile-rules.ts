import { matchesPattern } from '../../../shared/schemas.ts'
import { DISPLAY_NAME_MAX_LENGTH, DisplayNameTextSchema, STATUS_MAX_LENGTH, StatusTextTextSchema } from '../../../shared/people.ts'

/** What is wrong with a display name or status as typed (trimmed before sending), or null; empty is fine (it clears). */
const oneLine = (schema: object, max: number, what: string) => (text: string) => {
  const trimmed = text.trim()
  if (trimmed === '') return null
  if ([...trimmed].length > max) return `${what} can be at most ${max} characters.`
  if (!matchesPattern(schema, trimmed)) return `${what} must be one line, without control characters.`
  return null
}

export const validateDisplayName = oneLine(DisplayNameTextSchema, DISPLAY_NAME_MAX_LENGTH, 'A display name')
export const validateStatus = oneLine(StatusTextTextSchema, STATUS_MAX_LENGTH, 'A status')
