import { batch } from '@preact/signals'
import type { chatPushes, RoomRole } from '../../../shared/chat.ts'
import type { PushPayload } from '../../../shared/protocol.ts'
import { request } from '../realtime/request.ts'
import { navigate, paths } from '../ui/router.ts'
import { activeRoomId, rooms, roomState } from './chat-store.ts'
import { chatSocket, me } from './chat-socket.ts'
import { refreshRooms } from './room-requests.ts'
import { sortMembers, upsertRoom } from './rooms.ts'

/** Changing a room (rename, topic, roles, removal, leaving) and the pushes that say it changed. */

type Pushed<E extends keyof typeof chatPushes> = PushPayload<typeof chatPushes, E>

/** Renames the room and/or sets its topic (owner and admins); the room list takes the answer. */
export const updateRoom = async (roomId: string, change: { name?: string, topic?: string }) => {
  const result = await request(chatSocket(), 'chat:room-update', { roomId, ...change })
  if (result.ok) rooms.value = upsertRoom(rooms.peek(), result.data.room)
  return result
}

export const setMemberRole = async (roomId: string, userId: string, role: Exclude<RoomRole, 'owner'>) => {
  const result = await request(chatSocket(), 'chat:member-role', { roomId, userId, role })
  if (result.ok) applyMemberChanged({ roomId, member: result.data.member })
  return result
}

export const removeMember = (roomId: string, userId: string) => request(chatSocket(), 'chat:member-remove', { roomId, userId })

/** Leaves the room for good (not just this screen); the chat:member-left push about oneself follows. */
export const leaveRoom = async (roomId: string) => {
  const result = await request(chatSocket(), 'chat:room-leave', { roomId })
  const user = me()
  if (result.ok && user) applyMemberLeft({ roomId, user })
  return result
}

export const applyRoomChanged = ({ roomId, name, topic }: Pushed<'chat:room-changed'>) => {
  const known = rooms.peek().find((room) => room.id === roomId)
  if (known) rooms.value = upsertRoom(rooms.peek(), { ...known, name, topic })
}

export const applyMemberChanged = ({ roomId, member }: Pushed<'chat:member-changed'>) => {
  const state = roomState(roomId)
  const members = state.members.peek()
  if (members) state.members.value = sortMembers(members.map((known) => known.id === member.id ? { ...known, role: member.role } : known))
}

/**
 * Someone left or was removed. When it is this user: a private room goes from the list, a public
 * one stays to browse, not joined; the room's screen goes back to the rooms.
 */
export const applyMemberLeft = ({ roomId, user }: Pushed<'chat:member-left'>) => {
  const state = roomState(roomId)
  batch(() => {
    if (user.id !== me()?.id) {
      const members = state.members.peek()
      if (members) state.members.value = members.filter((member) => member.id !== user.id)
      return
    }
    const room = rooms.peek().find((known) => known.id === roomId)
    if (!room) return
    rooms.value = room.visibility === 'public'
      ? upsertRoom(rooms.peek(), { ...room, joined: false })
      : rooms.peek().filter((known) => known.id !== roomId)
    state.members.value = null
    state.join.value = { status: 'idle' }
  })
  if (user.id !== me()?.id) return
  if (activeRoomId.peek() === roomId) navigate(paths.chat)
  // The counts as they now are, for the room to browse.
  refreshRooms()
}
