import { batch } from '@preact/signals'
import type { Message, Room } from '../../../shared/chat.ts'
import { request } from '../realtime/request.ts'
import { activeRoomId, rooms, roomState } from './chat-store.ts'
import { chatSocket, isLive, socketAnswers } from './chat-socket.ts'
import { decideUnreadLine, leaveUnreadLine } from './read-markers.ts'
import { loadOlder } from './room-history.ts'
import { anchorRoom, applyJoin, setTimeline, setUnreadFromServer } from './room-updates.ts'
import { upsertRoom } from './rooms.ts'
import { applyMessage, hasGap } from './timeline.ts'

/** Following rooms: one `chat:join` per room at a time, catching up on whatever was missed. */

const joins = new Map<string, Promise<void>>()

/** One `chat:join`; true when there is more to catch up on (over 500 messages were missed). */
const joinOnce = async (roomId: string): Promise<boolean> => {
  const state = roomState(roomId)
  const timeline = state.timeline.peek()
  // The open room gets its latest page with the join; others only catch up from where they are.
  const wantsPage = !state.anchored || (activeRoomId.peek() === roomId && !timeline.loaded)
  const since = wantsPage ? undefined : timeline.syncedThrough
  if (state.join.peek().status !== 'joined') state.join.value = { status: 'joining' }
  const stale = socketAnswers.stamp()
  const result = await request(chatSocket(), 'chat:join', since === undefined ? { roomId } : { roomId, since })
  if (stale()) return false
  if (result.ok) {
    applyJoin(roomId, result.data, since)
    // Opened while this catch-up was on its way: it still needs its latest page.
    if (activeRoomId.peek() === roomId && !state.timeline.peek().loaded) loadOlder(roomId)
    return since !== undefined && result.data.hasMore
  }
  // A connection lost on the way is not the room's fault: the next connect joins again.
  state.join.value = result.error.code === 'unavailable' && !isLive() ? { status: 'idle' } : { status: 'failed', error: result.error }
  return false
}

/**
 * Joins a room on this socket, or catches up on it, one join per room at a time. A caller that
 * finds one running shares it; it repeats while anything is still missing (a gap a push revealed
 * meanwhile, or more catch-up pages).
 */
export const followRoom = (roomId: string): Promise<void> => {
  const running = joins.get(roomId)
  if (running) return running
  const run = (async () => {
    const stale = socketAnswers.stamp()
    for (let round = 0; round < 100; round++) {
      if (stale() || !isLive()) return
      const more = await joinOnce(roomId)
      const state = roomState(roomId)
      if (state.join.peek().status !== 'joined') return
      if (!more && !hasGap(state.timeline.peek())) return
    }
  })().finally(() => { if (joins.get(roomId) === run) joins.delete(roomId) })
  joins.set(roomId, run)
  return run
}

/** The socket follows no room any more (a reconnect, a sign-out): joins on their way are forgotten. */
export const forgetJoins = () => { joins.clear() }

/** A new message from an ack or a push; a gap behind it is filled by a catch-up join. */
export const acceptMessage = (message: Message) => {
  const state = roomState(message.roomId)
  const result = applyMessage(state.timeline.peek(), message)
  setTimeline(state, result)
  if (result.gap) followRoom(message.roomId)
}

/** A room this user can now see (created, invited, a DM opened): listed, and followed when a member. */
export const roomArrived = (room: Room) => {
  batch(() => {
    const known = rooms.peek().some((held) => held.id === room.id)
    rooms.value = upsertRoom(rooms.peek(), room)
    const state = anchorRoom(room)
    if (!known) {
      state.readThrough = room.lastReadSeq
      setUnreadFromServer(state, room.unread, room.lastSeq)
    }
  })
  if (room.joined && isLive() && roomState(room.id).join.peek().status === 'idle') followRoom(room.id)
}

/** The room on screen changed (null: none). Joins it, or loads its latest page, as needed. */
export const openRoom = (roomId: string | null) => {
  const left = activeRoomId.peek()
  if (left !== null && left !== roomId) leaveUnreadLine(roomState(left))
  activeRoomId.value = roomId
  if (roomId === null || !isLive()) return
  const state = roomState(roomId)
  const join = state.join.peek().status
  if (join === 'joined') {
    decideUnreadLine(state)
    if (!state.timeline.peek().loaded) loadOlder(roomId)
  } else if (join !== 'joining') {
    followRoom(roomId)
  }
}

/** Tries a failed join again (the view's Retry). */
export const retryRoom = (roomId: string) => {
  roomState(roomId).join.value = { status: 'idle' }
  openRoom(roomId)
}
