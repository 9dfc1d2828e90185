import { signal } from '@preact/signals'
import type { Message, SearchHit } from '../../../../shared/chat.ts'
import type { ErrorInfo } from '../../../../shared/protocol.ts'
import { createStaleGuard } from '../../realtime/stale-guard.ts'
import { request } from '../../realtime/request.ts'
import { paths, navigate } from '../../ui/router.ts'
import { chatSocket } from '../chat-socket.ts'
import { rooms, roomState } from '../chat-store.ts'
import { REVEAL_REACH } from '../room-history.ts'
import { planJump } from './jump-plan.ts'
import { applyAnswer, noSearch, startMore, startSearch, type SearchRequest } from './search-results.ts'

/**
 * The search dialog's state, and what it does: ask `chat:search` on the chat socket, page on,
 * and open a hit. The query typed stays from one opening to the next.
 */

export const searchOpen = signal(false)
/** What is typed in the box. */
export const searchText = signal('')
export const searchResults = signal(noSearch)

export type HitContext =
  | { status: 'loading', hit: SearchHit }
  | { status: 'ready', hit: SearchHit, messages: readonly Message[] }
  | { status: 'failed', hit: SearchHit, error: ErrorInfo }

/** A hit too far back to open in the room, shown with the messages around it (null: the results). */
export const hitContext = signal<HitContext | null>(null)

/** Every new query (or a reset) makes the answers to the ones before it stale. */
const answers = createStaleGuard()

const ask = async (wanted: SearchRequest | null) => {
  if (!wanted) return
  const stale = answers.stamp()
  const { query, cursor } = wanted
  const answer = await request(chatSocket(), 'chat:search', cursor === undefined ? { query } : { query, cursor })
  if (!stale()) searchResults.value = applyAnswer(searchResults.peek(), wanted, answer)
}

export const openSearch = () => { searchOpen.value = true }

export const closeSearch = () => {
  searchOpen.value = false
  hitContext.value = null
}

/** Forgets the query and its results (sign-out). */
export const resetSearch = () => {
  answers.invalidate()
  closeSearch()
  searchText.value = ''
  searchResults.value = noSearch
}

/** Runs the query in the box (the dialog calls it once typing pauses). */
export const runSearch = () => {
  answers.invalidate()
  const next = startSearch(searchResults.peek(), searchText.peek())
  searchResults.value = next.results
  ask(next.request)
}

export const loadMoreResults = () => {
  const next = startMore(searchResults.peek())
  searchResults.value = next.results
  ask(next.request)
}

/**
 * Opens a hit: in its room, scrolled to it and highlighted (the room view loads history back to
 * it), when within reach of the newest message; otherwise with its context, here, read-only.
 */
export const openHit = async (hit: SearchHit) => {
  const id = hit.room.id
  const seq = hit.message.seq
  const lastSeq = rooms.peek().find((room) => room.id === id)?.lastSeq ?? 0
  const plan = planJump(roomState(id).timeline.peek(), lastSeq, seq, REVEAL_REACH)
  if (plan.kind === 'room') {
    closeSearch()
    const target = `${paths.room(id)}?seq=${seq}`
    if (window.location.pathname + window.location.search === target) {
      // Already at that link (the reader scrolled away): out and back in, once the room view has
      // seen the change, so that it brings the message into view again.
      navigate(paths.room(id), { replace: true })
      await new Promise((resolve) => setTimeout(resolve))
    }
    navigate(target)
    return
  }
  const shown = { status: 'loading', hit } as const
  hitContext.value = shown
  const answer = await request(chatSocket(), 'chat:history', { roomId: id, before: plan.before, limit: plan.limit })
  if (hitContext.peek() !== shown) return
  hitContext.value = answer.ok ? { status: 'ready', hit, messages: answer.data.messages } : { status: 'failed', hit, error: answer.error }
}

/** From a hit's context back to the room as it is now. */
export const jumpToPresent = (roomId: string) => {
  closeSearch()
  navigate(paths.room(roomId))
}
