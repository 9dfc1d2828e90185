import type { chatPushes, Message } from '../../../shared/chat.ts'
import type { PushPayload } from '../../../shared/protocol.ts'
import { request } from '../realtime/request.ts'
import { activeRoomId, roomState, showNotice, type RoomState } from './chat-store.ts'
import { chatSocket, isLive, socketAnswers } from './chat-socket.ts'
import { describeMarkUnreadError } from './describe-chat-error.ts'
import { newestSeq } from './timeline.ts'
import { lineOnEntry } from './unread-line.ts'
import { unreadSnapshot } from './unread.ts'

/** Reads are coalesced: one `chat:read` for a burst of messages read at once. */
const READ_DELAY_MS = 300

/** The highest seq each room was marked read up to, by this tab or (pushed) another one. */
const readSent = new Map<string, number>()
const readTimers = new Map<string, ReturnType<typeof setTimeout>>()
/**
 * Rooms on screen marked unread (here or in another tab): reading them would undo it at once,
 * so they are not marked read again until the user leaves and comes back.
 */
const held = new Set<string>()

/** Marks a room read up to `seq` (coalesced; never moves back). */
export const markRead = (roomId: string, seq: number) => {
  if (seq <= (readSent.get(roomId) ?? 0) || readTimers.has(roomId) || held.has(roomId) || !isLive()) return
  const state = roomState(roomId)
  if (state.join.peek().status !== 'joined') return
  readTimers.set(roomId, setTimeout(async () => {
    readTimers.delete(roomId)
    // What arrived meanwhile was read too, if the room is still on screen (not if it was left).
    const newest = activeRoomId.peek() === roomId ? Math.max(seq, newestSeq(state.timeline.peek()) ?? 0) : seq
    if (newest <= (readSent.get(roomId) ?? 0) || held.has(roomId)) return
    readSent.set(roomId, newest)
    const stale = socketAnswers.stamp()
    const result = await request(chatSocket(), 'chat:read', { roomId, seq: newest })
    if (stale()) return
    if (result.ok) {
      state.readThrough = Math.max(state.readThrough, newest)
      state.unread.value = unreadSnapshot(result.data.unread, Math.max(newest, newestSeq(state.timeline.peek()) ?? 0))
    } else {
      readSent.delete(roomId)
    }
  }, READ_DELAY_MS))
}

/** The marker is back at `readThrough` (this tab's "Mark unread from here", or another tab's). */
const movedBack = (state: RoomState, readThrough: number, unread: number) => {
  clearTimeout(readTimers.get(state.id))
  readTimers.delete(state.id)
  readSent.set(state.id, readThrough)
  state.readThrough = readThrough
  state.unread.value = unreadSnapshot(unread, Math.max(readThrough, newestSeq(state.timeline.peek()) ?? 0))
  if (activeRoomId.peek() !== state.id) return
  held.add(state.id)
  state.unreadLine.value = readThrough
}

/** The read marker moved in another tab (the `chat:read` push): forward, or back when marked unread. */
export const applyReadMarker = ({ roomId, seq, unread }: PushPayload<typeof chatPushes, 'chat:read'>) => {
  const state = roomState(roomId)
  if (seq < state.readThrough) return movedBack(state, seq, unread)
  readSent.set(roomId, Math.max(readSent.get(roomId) ?? 0, seq))
  state.readThrough = seq
  state.unread.value = unreadSnapshot(unread, Math.max(seq, newestSeq(state.timeline.peek()) ?? 0))
}

/** Sets the read marker back so this message is the first unread one, saved for every tab. */
export const markUnread = async (message: Message): Promise<void> => {
  const stale = socketAnswers.stamp()
  const result = await request(chatSocket(), 'chat:mark-unread', { roomId: message.roomId, seq: message.seq })
  if (stale()) return
  if (result.ok) movedBack(roomState(message.roomId), message.seq - 1, result.data.unread)
  else showNotice(describeMarkUnreadError(result.error))
}

/** The room is on screen (entered, or joined once entered): where its "New" line goes is fixed now. */
export const decideUnreadLine = (state: RoomState) => {
  if (state.unreadLine.peek() === undefined) state.unreadLine.value = lineOnEntry(state.readThrough, state.unread.peek())
}

/** The room left the screen: its line is decided afresh on the next visit, and it may be read again. */
export const leaveUnreadLine = (state: RoomState) => {
  state.unreadLine.value = undefined
  held.delete(state.id)
}

/** After a reconnect or sign-in: what was sent is asked again from the server's figures. */
export const forgetReadsSent = () => { readSent.clear() }

/** Signed out: no read goes out for the previous user. */
export const stopReadTimers = () => {
  for (const timer of readTimers.values()) clearTimeout(timer)
  readTimers.clear()
  held.clear()
}
