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
 * The members whose username starts with `query` (case-insensitively), oneself left out: online
 * first, then by name.
 */
export const mentionCandidates = (members: readonly Member[], query: string, myId: string | null, max: number): Member[] => {
  const prefix = query.toLowerCase()
  return members
    .filter((member) => member.id !== myId && member.username.toLowerCase().startsWith(prefix))
    .sort((a, b) => Number(b.online) - Number(a.online) || a.username.localeCompare(b.username, undefined, { sensitivity: 'base' }))
    .slice(0, max)
}
