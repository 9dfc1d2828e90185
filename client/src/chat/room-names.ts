import type { Room } from '../../../shared/chat.ts'
import { shownName } from '../people/people-store.ts'
import { chatUser, roomState } from './chat-store.ts'

/** What naming a room needs (a search hit carries only this much of it). */
type NamedRoom = Pick<Room, 'id' | 'name' | 'visibility'>

/** The other person of a direct room, from the members list once the room is joined. */
export const directPartner = (room: NamedRoom) => {
  const me = chatUser.value
  return roomState(room.id).members.value?.find((member) => member.id !== me?.id) ?? null
}

/**
 * A room's name as shown: a direct room is the other person, by their display name once their
 * profile is known (the server names it by their username); any other room its own name.
 */
export const shownRoomName = (room: NamedRoom) => {
  if (room.visibility !== 'direct') return room.name
  const partner = directPartner(room)
  return partner ? shownName(partner) : room.name
}

/** How a room is spoken of in a sentence: `#general`, a private room without the `#`, a direct room by the person. */
export const roomReference = (room: NamedRoom) => room.visibility === 'direct' ? shownRoomName(room) : `#${room.name}`
