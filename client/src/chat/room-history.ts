import { batch } from '@preact/signals'
import { HISTORY_PAGE } from '../../../shared/chat.ts'
import { request } from '../realtime/request.ts'
import { roomState } from './chat-store.ts'
import { chatSocket, isLive, socketAnswers } from './chat-socket.ts'
import { applyOlderPage, oldestSeq } from './timeline.ts'

/** A `?seq=` link to an old message loads at most this many pages to reach it. */
const REVEAL_MAX_PAGES = 20
/** How far back from the newest message a `?seq=` link reaches (search shows a hit farther back on its own). */
export const REVEAL_REACH = REVEAL_MAX_PAGES * HISTORY_PAGE

/** The page of messages before the oldest held (scrolling up). */
export const loadOlder = async (roomId: string): Promise<void> => {
  const state = roomState(roomId)
  const timeline = state.timeline.peek()
  if (state.older.peek().status === 'loading' || (timeline.loaded && timeline.startReached) || !isLive()) return
  const before = oldestSeq(timeline)
  if (before <= 1) {
    state.timeline.value = { ...timeline, startReached: true, loaded: true }
    return
  }
  state.older.value = { status: 'loading' }
  const stale = socketAnswers.stamp()
  const result = await request(chatSocket(), 'chat:history', { roomId, before, limit: HISTORY_PAGE })
  if (stale()) return
  if (result.ok) {
    batch(() => {
      // Older messages are below every unread count: no need to count them.
      state.timeline.value = applyOlderPage(state.timeline.peek(), result.data.messages, result.data.hasMore).timeline
      state.older.value = { status: 'idle' }
    })
  } else {
    state.older.value = { status: 'failed', error: result.error }
  }
}

/** Loads history until the message with `seq` is held (a `?seq=` link); false if it cannot be. */
export const revealMessage = async (roomId: string, seq: number): Promise<boolean> => {
  const state = roomState(roomId)
  for (let page = 0; page < REVEAL_MAX_PAGES; page++) {
    const timeline = state.timeline.peek()
    if (timeline.messages.some((message) => message.seq === seq)) return true
    if ((timeline.loaded && timeline.startReached) || oldestSeq(timeline) <= seq || state.older.peek().status === 'failed' || !isLive()) return false
    await loadOlder(roomId)
  }
  return false
}
