import { isReservedUsername } from '../../../../shared/auth.ts'
import type { Member } from '../../../../shared/chat.ts'
import type { CompletionQuery } from '../completion/use-completion.tsx'

/**
 * The `@name` being typed just before the caret, if any: an `@` at the start of the text or after
 * white space or an opening bracket, then up to 32 of the username characters (A-Z a-z 0-9 _ . -),
 * up to the caret. Addresses like a@b.c never count, nor anything inside code.
 */
const QUERY = /(?:^|[\s([{])(@([A-Za-z0-9_.-]{0,32}))$/

export const findMentionQuery = (text: string, caret: number): CompletionQuery | null => {
  const match = QUERY.exec(text.slice(Math.max(0, caret - 40), caret))
  if (!match || isInsideCode(text, caret)) return null
  return { start: caret - match[1]!.length, query: match[2]!.toLowerCase() }
}

/**
 * Whether the caret is in a fenced code block (an odd number of ``` lines before it) or an inline
 * code span (an odd number of backticks before it on its line), where a mention stays as typed.
 */
export const isInsideCode = (text: string, caret: number): boolean => {
  const before = text.slice(0, caret)
  const fences = before.match(/^ {0,3}```/gm)?.length ?? 0
  if (fences % 2 === 1) return true
  const line = before.slice(before.lastIndexOf('\n') + 1)
  return (line.match(/`/g)?.length ?? 0) % 2 === 1
}

/**
 * Whether a member answers to a query: their username starts with it, or a word of their display
 * name does (case-insensitively), so `@lid` finds "Alice Liddell" (@alice).
 */
const answersTo = (username: string, displayName: string, prefix: string) =>
  username.toLowerCase().startsWith(prefix) ||
  displayName.toLowerCase().split(/[\s([{'"-]+/u).some((word) => word !== '' && word.startsWith(prefix))

/**
 * The members whose username (or a word of whose display name, from `displayNameOf`) starts with
 * `query`, case-insensitively, oneself and reserved names left out: online first, then by the name shown.
 */
export const mentionCandidates = (
  members: readonly Member[],
  query: string,
  myId: string | null,
  max: number,
  displayNameOf: (member: Member) => string = () => ''
): Member[] => {
  const prefix = query.toLowerCase()
  const shown = (member: Member) => displayNameOf(member) || member.username
  return members
    // An account named like a mention word (made before it was reserved) cannot be mentioned alone:
    // `@room` would call the whole room.
    .filter((member) => member.id !== myId && !isReservedUsername(member.username) && answersTo(member.username, displayNameOf(member), prefix))
    .sort((a, b) => Number(b.online) - Number(a.online) || shown(a).localeCompare(shown(b), undefined, { sensitivity: 'base' }))
    .slice(0, max)
}
