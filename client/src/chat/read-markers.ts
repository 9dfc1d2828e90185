import type { chatPushes } from '../../../shared/chat.ts'
import type { PushPayload } from '../../../shared/protocol.ts'
import { request } from '../realtime/request.ts'
import { roomState } from './chat-store.ts'
import { chatSocket, isLive, socketAnswers } from './chat-socket.ts'
import { newestSeq } from './timeline.ts'
import { unreadSnapshot } from './unread.ts'

/** Reads are coalesced: one `chat:read` for a burst of messages read at once. */
const READ_DELAY_MS = 300

/** The highest seq each room was marked read up to, by this tab or (pushed) another one. */
const readSent = new Map<string, number>()
const readTimers = new Map<string, ReturnType<typeof setTimeout>>()

/** Marks a room read up to `seq` (coalesced; never moves back). */
export const markRead = (roomId: string, seq: number) => {
  if (seq <= (readSent.get(roomId) ?? 0) || readTimers.has(roomId) || !isLive()) return
  const state = roomState(roomId)
  if (state.join.peek().status !== 'joined') return
  readTimers.set(roomId, setTimeout(async () => {
    readTimers.delete(roomId)
    const newest = Math.max(seq, newestSeq(state.timeline.peek()) ?? 0)
    if (newest <= (readSent.get(roomId) ?? 0)) return
    readSent.set(roomId, newest)
    const stale = socketAnswers.stamp()
    const result = await request(chatSocket(), 'chat:read', { roomId, seq: newest })
    if (stale()) return
    if (result.ok) state.unread.value = unreadSnapshot(result.data.unread, Math.max(newest, newestSeq(state.timeline.peek()) ?? 0))
    else readSent.delete(roomId)
  }, READ_DELAY_MS))
}

/** The read marker moved in another tab (the `chat:read` push). */
export const applyReadMarker = ({ roomId, seq, unread }: PushPayload<typeof chatPushes, 'chat:read'>) => {
  const state = roomState(roomId)
  readSent.set(roomId, Math.max(readSent.get(roomId) ?? 0, seq))
  state.unread.value = unreadSnapshot(unread, Math.max(seq, newestSeq(state.timeline.peek()) ?? 0))
}

/** After a reconnect or sign-in: what was sent is asked again from the server's figures. */
export const forgetReadsSent = () => { readSent.clear() }

/** Signed out: no read goes out for the previous user. */
export const stopReadTimers = () => {
  for (const timer of readTimers.values()) clearTimeout(timer)
  readTimers.clear()
}
