import type { Room } from '../../../shared/chat.ts'
import { shownName } from '../people/people-store.ts'
import { chatUser, roomState } from './chat-store.ts'

/** The other person of a direct room, from the members list once the room is joined. */
export const directPartner = (room: Room) => {
  const me = chatUser.value
  return roomState(room.id).members.value?.find((member) => member.id !== me?.id) ?? null
}

/**
 * A room's name as shown: a direct room is the other person, by their display name once their
 * profile is known (the server names it by their username); any other room its own name.
 */
export const shownRoomName = (room: Room) => {
  if (room.visibility !== 'direct') return room.name
  const partner = directPartner(room)
  return partner ? shownName(partner) : room.name
}

/** How a room is spoken of in a sentence: `#general`, a private room without the `#`, a direct room by the person. */
export const roomReference = (room: Room) => room.visibility === 'direct' ? shownRoomName(room) : `#${room.name}`
