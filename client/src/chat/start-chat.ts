import type { ReadonlySignal } from '@preact/signals'
import type { User } from '../../../shared/auth.ts'
import { applyProfile, refreshProfiles, resetPeople, wantProfiles } from '../people/people-store.ts'
import { onUserChange } from '../realtime/on-user-change.ts'
import { whenConnected } from '../realtime/when-connected.ts'
import { activeRoomId, chatUser, knownRoomStates, outbox, resetChatStore, rooms } from './chat-store.ts'
import { chatSocket, isLive, me, socketAnswers, type ChatSocket } from './chat-socket.ts'
import { acceptMessage, followRoom, forgetJoins, roomArrived } from './follow-rooms.ts'
import { applyReactionsState } from './message-reactions.ts'
import { forgetChangeRevs } from './message-revs.ts'
import { loadOutbox } from './outbox.ts'
import { flushOutbox } from './outbox-delivery.ts'
import { applyReadMarker, forgetReadsSent, stopReadTimers } from './read-markers.ts'
import { reportFocus, watchFocus } from './room-focus.ts'
import { applyMemberChanged, applyMemberLeft, applyRoomChanged } from './room-management.ts'
import { forgetRoomsRequest, refreshRooms } from './room-requests.ts'
import { applyTyping, stopTypingTimers } from './room-typing.ts'
import { applyMessageDeletion, applyMessageUpdate, applyPresenceChange } from './room-updates.ts'
import { forgetConfirmed } from './saved-outbox.ts'
import { applyThreadDeletion, applyThreadMessage, applyThreadUpdate, closeThread, refreshThread } from './threads.ts'

/** Every push of the `/chat` namespace, and the module that applies it. */
const listen = (socket: ChatSocket) => {
  socket.on('chat:message', ({ message }) => {
    acceptMessage(message)
    applyThreadMessage(message)
  })
  socket.on('chat:message-updated', ({ message }) => {
    applyMessageUpdate(message)
    applyThreadUpdate(message)
  })
  socket.on('chat:message-deleted', (deletion) => {
    applyMessageDeletion(deletion)
    applyThreadDeletion(deletion)
  })
  socket.on('chat:reactions', applyReactionsState)
  socket.on('chat:presence', applyPresenceChange)
  socket.on('chat:typing', applyTyping)
  socket.on('chat:room', ({ room }) => roomArrived(room))
  socket.on('chat:read', applyReadMarker)
  socket.on('people:profile', ({ profile }) => applyProfile(profile))
  socket.on('chat:room-changed', applyRoomChanged)
  socket.on('chat:member-changed', applyMemberChanged)
  socket.on('chat:member-left', applyMemberLeft)
}

/**
 * After every (re)connect: the socket follows no room any more; join again the rooms this user
 * belongs to (and the open one), catching up. Public rooms not joined yet stay listed to browse.
 */
const resync = async () => {
  if (!me()) return
  const stale = socketAnswers.supersede()
  // A new socket starts with no focus on the server.
  reportFocus()
  for (const state of knownRoomStates()) state.join.value = { status: 'idle' }
  forgetJoins()
  forgetReadsSent()
  flushOutbox()
  refreshThread()
  refreshProfiles()
  await refreshRooms()
  if (stale() || !isLive()) return
  const ids = new Set(rooms.peek().filter((room) => room.joined).map((room) => room.id))
  const active = activeRoomId.peek()
  if (active !== null) ids.add(active)
  // The open room first, so what is on screen is ready soonest.
  if (active !== null) followRoom(active)
  for (const id of ids) if (id !== active) followRoom(id)
}

const beginSession = (user: User) => {
  forgetRoomsRequest()
  socketAnswers.invalidate()
  resetChatStore()
  forgetConfirmed()
  forgetReadsSent()
  closeThread()
  resetPeople()
  wantProfiles([user.id])
  chatUser.value = user
  outbox.value = loadOutbox(window.localStorage, user.id)
  refreshRooms()
}

const endSession = () => {
  forgetRoomsRequest()
  socketAnswers.invalidate()
  stopReadTimers()
  stopTypingTimers()
  forgetJoins()
  chatUser.value = null
  closeThread()
  resetChatStore()
  resetPeople()
  forgetChangeRevs()
}

let started = false

/**
 * The owner of the `/chat` socket. Wires chat to the signed-in user: on sign-in the stored outbox
 * and the rooms list load, the socket (opened by the connection) follows every visible room, and
 * after every reconnect the rooms are joined again from the last seq held, so nothing is missed
 * or shown twice.
 */
export const startChat = (user: ReadonlySignal<User | null>) => {
  if (started) return
  started = true
  const socket = chatSocket()
  listen(socket)
  whenConnected(socket, () => { resync() })
  onUserChange(user, (current) => {
    if (current) beginSession(current)
    else endSession()
  })
  // Back online with a socket that never noticed it was gone: send what waited.
  window.addEventListener('online', () => { flushOutbox() })
  watchFocus()
}
