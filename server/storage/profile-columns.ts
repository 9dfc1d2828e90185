import { displayNameKey } from './rows.ts'
import type { ProfileChange } from './types.ts'

/** The users columns a profile change sets, by name (the same on every store). */
export const profileColumns = (change: ProfileChange) => {
  const values: Record<string, string | number | null> = {}
  if (change.displayName !== undefined) {
    values.display_name = change.displayName
    values.display_name_key = displayNameKey(change.displayName)
  }
  if (change.status !== undefined) {
    values.status_text = change.status.text
    values.status_expires_at = change.status.expiresAt
  }
  if (change.timeZone !== undefined) values.time_zone = change.timeZone
  return values
}
