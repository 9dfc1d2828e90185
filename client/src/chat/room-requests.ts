import type { Member, Room } from '../../../shared/chat.ts'
import type { AckResult } from '../../../shared/protocol.ts'
import { fetchJson } from '../http/fetch-json.ts'
import { createStaleGuard } from '../realtime/stale-guard.ts'
import { rooms, roomsList, roomState } from './chat-store.ts'
import { roomArrived } from './follow-rooms.ts'
import { applyRooms } from './room-updates.ts'
import { sortMembers, upsertRoom } from './rooms.ts'

/** The chat HTTP routes: the rooms list, creating rooms, direct rooms, invitations. */

/** Moved on at every sign-in and sign-out: HTTP answers for an older session are stale. */
const sessionAnswers = createStaleGuard()
let roomsRequest: Promise<void> | null = null

/** Loads the rooms list (one request at a time; callers share it). */
export const refreshRooms = (): Promise<void> => {
  roomsRequest ??= (async () => {
    const stale = sessionAnswers.stamp()
    const result = await fetchJson<{ rooms: Room[] }>('GET', '/api/rooms')
    if (stale()) return
    if (result.ok) applyRooms(result.data.rooms)
    else if (roomsList.peek().status !== 'ready') roomsList.value = { status: 'failed', error: result.error }
  })().finally(() => { roomsRequest = null })
  return roomsRequest
}

/** Another session began (or none): the rooms list on its way is for the previous one. */
export const forgetRoomsRequest = () => {
  sessionAnswers.invalidate()
  roomsRequest = null
}

export const createRoom = async (input: { name: string, topic: string, visibility: 'public' | 'private' }): Promise<AckResult<Room>> => {
  const result = await fetchJson<{ room: Room }>('POST', '/api/rooms', input)
  if (!result.ok) return result
  roomArrived(result.data.room)
  return { ok: true, data: result.data.room }
}

/** The direct room with someone (created the first time). */
export const openDirect = async (username: string): Promise<AckResult<Room>> => {
  const result = await fetchJson<{ room: Room }>('POST', '/api/dms', { username })
  if (!result.ok) return result
  roomArrived(result.data.room)
  return { ok: true, data: result.data.room }
}

export const inviteToRoom = async (roomId: string, username: string): Promise<AckResult<Room>> => {
  const result = await fetchJson<{ room: Room }>('POST', `/api/rooms/${encodeURIComponent(roomId)}/members`, { username })
  if (!result.ok) return result
  rooms.value = upsertRoom(rooms.peek(), result.data.room)
  // The invitee is a member now; nothing is pushed to the room about it, so ask for the list.
  const members = await fetchJson<{ members: Member[] }>('GET', `/api/rooms/${encodeURIComponent(roomId)}/members`)
  if (members.ok) roomState(roomId).members.value = sortMembers(members.data.members)
  return { ok: true, data: result.data.room }
}
