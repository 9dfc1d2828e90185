import { PAGE_TEXT_BUDGET } from '../../shared/limits.ts'
import type { MessagePage } from '../storage/types.ts'

/**
 * A page of messages (oldest first) cut to `PAGE_TEXT_BUDGET` of text, keeping at least one.
 * A catch-up page (`after`) keeps its oldest messages, a history page its newest, so the next
 * page continues where this one stops; a cut page says `hasMore`.
 */
export function fitPage ({ messages, hasMore }: MessagePage, keep: 'oldest' | 'newest', budget = PAGE_TEXT_BUDGET): MessagePage {
  const at = keep === 'oldest' ? (i: number) => messages[i]! : (i: number) => messages[messages.length - 1 - i]!
  let used = 0
  let count = 0
  while (count < messages.length) {
    used += at(count).text.length
    if (used > budget && count > 0) break
    count++
  }
  if (count === messages.length) return { messages, hasMore }
  return { messages: keep === 'oldest' ? messages.slice(0, count) : messages.slice(-count), hasMore: true }
}
