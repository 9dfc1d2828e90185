import type { chatPushes } from '../../../shared/chat.ts'
import type { PushPayload } from '../../../shared/protocol.ts'
import { request } from '../realtime/request.ts'
import { roomState, type RoomState } from './chat-store.ts'
import { chatSocket, isLive, me } from './chat-socket.ts'
import { pruneTypers, setTyper } from './typing.ts'

const typingTimers = new Map<string, ReturnType<typeof setTimeout>>()

const scheduleTypingExpiry = (state: RoomState) => {
  clearTimeout(typingTimers.get(state.id))
  const { typers, nextExpiry } = pruneTypers(state.typers.peek(), Date.now())
  state.typers.value = typers
  if (nextExpiry === null) typingTimers.delete(state.id)
  else typingTimers.set(state.id, setTimeout(() => scheduleTypingExpiry(state), nextExpiry - Date.now() + 20))
}

/** Someone else started or stopped typing (the `chat:typing` push); it expires if never stopped. */
export const applyTyping = ({ roomId, user, typing }: PushPayload<typeof chatPushes, 'chat:typing'>) => {
  if (user.id === me()?.id) return
  const state = roomState(roomId)
  state.typers.value = setTyper(state.typers.peek(), user, typing, Date.now())
  scheduleTypingExpiry(state)
}

/** Tells the room this user is typing (or stopped); only while the socket follows it. */
export const setTyping = (roomId: string, typing: boolean) => {
  if (!isLive() || roomState(roomId).join.peek().status !== 'joined') return
  request(chatSocket(), 'chat:typing', { roomId, typing }, 5000)
}

export const stopTypingTimers = () => {
  for (const timer of typingTimers.values()) clearTimeout(timer)
  typingTimers.clear()
}
