import type { Member, Room } from '../../../shared/chat.ts'

/** The sidebar's order: rooms by name, then direct messages by the other person's name. */
export const compareRooms = (a: Room, b: Room) =>
  Number(a.visibility === 'direct') - Number(b.visibility === 'direct') ||
  a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) ||
  a.id.localeCompare(b.id)

/** Adds a room or replaces the known copy, keeping the order. */
export const upsertRoom = (rooms: readonly Room[], room: Room): Room[] =>
  [...rooms.filter((known) => known.id !== room.id), room].sort(compareRooms)

/** Members with the online first, each group by name. */
export const sortMembers = (members: readonly Member[]): Member[] =>
  [...members].sort((a, b) => Number(b.online) - Number(a.online) || a.username.localeCompare(b.username, undefined, { sensitivity: 'base' }))

/** A member came or went (`chat:presence`); someone new who comes online joins the list. */
export const applyPresence = (members: readonly Member[], user: { id: string, username: string }, online: boolean): Member[] => {
  const known = members.some((member) => member.id === user.id)
  if (!known) return online ? sortMembers([...members, { id: user.id, username: user.username, online }]) : [...members]
  return sortMembers(members.map((member) => member.id === user.id ? { ...member, online } : member))
}
