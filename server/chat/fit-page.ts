import type { Message } from '../../shared/chat.ts'
import { PAGE_TEXT_BUDGET } from '../../shared/limits.ts'
import type { MessagePage } from '../storage/types.ts'

/** What a message weighs against the budget: its text, and the emoji and users of its reactions. */
const weight = ({ text, reactions = [] }: Message) =>
  reactions.reduce((sum, { emoji, users }) => users.reduce((n, user) => n + user.id.length + user.username.length, sum + emoji.length), text.length)

/**
 * A page of messages (oldest first) cut to `PAGE_TEXT_BUDGET` of text (reactions included), keeping at least one.
 * A catch-up page (`after`) keeps its oldest messages, a history page its newest, so the next
 * page continues where this one stops; a cut page says `hasMore`.
 */
export function fitPage ({ messages, hasMore }: MessagePage, keep: 'oldest' | 'newest', budget = PAGE_TEXT_BUDGET): MessagePage {
  const at = keep === 'oldest' ? (i: number) => messages[i]! : (i: number) => messages[messages.length - 1 - i]!
  let used = 0
  let count = 0
  while (count < messages.length) {
    used += weight(at(count))
    if (used > budget && count > 0) break
    count++
  }
  if (count === messages.length) return { messages, hasMore }
  return { messages: keep === 'oldest' ? messages.slice(0, count) : messages.slice(-count), hasMore: true }
}
