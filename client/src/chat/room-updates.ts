import { batch } from '@preact/signals'
import type { CommandData, PushPayload } from '../../../shared/protocol.ts'
import type { chatCommands, chatPushes, Message, Room } from '../../../shared/chat.ts'
import { activeRoomId, rooms, roomsList, roomState, type RoomState } from './chat-store.ts'
import { me } from './chat-socket.ts'
import { decideUnreadLine } from './read-markers.ts'
import { applyPresence, compareRooms, sortMembers, upsertRoom } from './rooms.ts'
import { confirmOwn } from './saved-outbox.ts'
import { applyCatchUp, applyDeletion, applyLatestPage, applyUpdate, emptyTimeline, type MergeResult, type Timeline } from './timeline.ts'
import { setTyper } from './typing.ts'
import { countArrivals, countDeletions, unreadSnapshot } from './unread.ts'

/** Applying what the server says (acks, pushes, HTTP answers) to the chat store. */

type JoinData = CommandData<typeof chatCommands, 'chat:join'>

export const setTimeline = (state: RoomState, result: MergeResult & { timeline: Timeline }) => {
  const user = me()
  batch(() => {
    state.timeline.value = result.timeline
    if (user && result.added.length > 0) state.unread.value = countArrivals(state.unread.peek(), result.added, user.id)
    if (user && result.replaced.length > 0) state.unread.value = countDeletions(state.unread.peek(), result.replaced, result.timeline.messages, user.id)
    // Whoever just posted stopped typing; and our own posts seen here confirm outbox items.
    const authors = new Set(result.added.map((message) => message.author.id))
    if (authors.size > 0) {
      let typers = state.typers.peek()
      for (const id of authors) {
        const typer = typers.get(id)
        if (typer) typers = setTyper(typers, typer.user, false, Date.now())
      }
      state.typers.value = typers
    }
    if (user) confirmOwn(result.added.filter((message) => message.author.id === user.id))
  })
}

/** Server counts as of a seq, plus what this tab holds beyond it. */
export const setUnreadFromServer = (state: RoomState, count: number, asOfSeq: number) => {
  const user = me()
  const snapshot = unreadSnapshot(count, asOfSeq)
  state.unread.value = user ? countArrivals(snapshot, state.timeline.peek().messages, user.id) : snapshot
}

/** Starts following a listed room from its current end (no history is fetched until it is opened). */
export const anchorRoom = (room: Room) => {
  const state = roomState(room.id)
  if (!state.anchored) {
    state.anchored = true
    // Anything that arrived before the room was known (an ack from the outbox) stays if newer.
    const held = state.timeline.peek().messages.filter((message) => message.seq > room.lastSeq)
    state.timeline.value = applyCatchUp(emptyTimeline(room.lastSeq), held).timeline
  }
  return state
}

export const applyRooms = (list: readonly Room[]) => {
  batch(() => {
    // Rooms are never taken away, so one that arrived while the list was on its way stays.
    const listed = new Set(list.map((room) => room.id))
    rooms.value = [...list, ...rooms.peek().filter((room) => !listed.has(room.id))].sort(compareRooms)
    roomsList.value = { status: 'ready' }
    for (const room of list) {
      const state = anchorRoom(room)
      state.readThrough = room.lastReadSeq
      setUnreadFromServer(state, room.unread, room.lastSeq)
    }
  })
}

export const applyJoin = (roomId: string, data: JoinData, since: number | undefined) => {
  const state = roomState(roomId)
  batch(() => {
    rooms.value = upsertRoom(rooms.peek(), data.room)
    state.members.value = sortMembers(data.members)
    state.join.value = { status: 'joined' }
    state.anchored = true
    setTimeline(state, since === undefined
      ? applyLatestPage(state.timeline.peek(), data.messages, data.hasMore, data.room.lastSeq)
      : applyCatchUp(state.timeline.peek(), data.messages))
    state.readThrough = data.room.lastReadSeq
    setUnreadFromServer(state, data.room.unread, data.room.lastSeq)
    // Entered before it was joined: the server's marker, just read, places the "New" line.
    if (activeRoomId.peek() === roomId) decideUnreadLine(state)
  })
}

/** A message edited or deleted (its later state wins). */
export const applyMessageUpdate = (message: Message) => {
  const state = roomState(message.roomId)
  setTimeline(state, applyUpdate(state.timeline.peek(), message))
}

export const applyMessageDeletion = ({ roomId, messageId, seq }: PushPayload<typeof chatPushes, 'chat:message-deleted'>) => {
  const state = roomState(roomId)
  setTimeline(state, applyDeletion(state.timeline.peek(), messageId, seq))
}

export const applyPresenceChange = ({ roomId, user, online }: PushPayload<typeof chatPushes, 'chat:presence'>) => {
  const state = roomState(roomId)
  batch(() => {
    const members = state.members.peek()
    if (members) state.members.value = applyPresence(members, user, online)
    if (!online) state.typers.value = setTyper(state.typers.peek(), user, false, Date.now())
  })
}
