import type { User } from '../../shared/auth.ts'
import { ROOM_MENTION, type Message } from '../../shared/chat.ts'
import type { RoomInfo, Storage } from '../storage/types.ts'
import type { NotificationService } from './create-notification-service.ts'

const MENTION = /(?:^|[^\w@])@([A-Za-z0-9_.-]{3,32})/g
const excerpt = (text: string) => text.length > 200 ? `${text.slice(0, 199)}…` : text

/** The @names in a text, lower-cased and each once (a trailing dot ends a sentence, not a name). */
export const mentionedNames = (text: string) =>
  [...new Set([...text.matchAll(MENTION)].map((match) => match[1]!.replace(/\.+$/, '').toLowerCase()))]

/**
 * Turns chat events into notifications: mentions of members (`@room`: all of them), DMs, thread
 * replies to the thread's followers, invitations. A mention or a DM
 * reaches everyone concerned except those who are looking at that room in a visible tab, on any
 * node (`viewers`); a tab on another page, or hidden, does not count as looking.
 */
export function createChatNotifications ({ notifications, storage, viewers }: {
  notifications: NotificationService
  storage: Storage
  /** Which of these users have a visible tab showing the room, on every node. */
  viewers: (roomId: string, userIds: readonly string[]) => Promise<Set<string>>
}) {
  const roomUrl = (roomId: string, seq?: number) => `/chat/${encodeURIComponent(roomId)}${seq ? `?seq=${seq}` : ''}`
  const threadUrl = (roomId: string, rootId: string) => `/chat/${encodeURIComponent(roomId)}?thread=${encodeURIComponent(rootId)}`

  async function onMessage (message: Message, room: RoomInfo) {
    const names = mentionedNames(message.text)
    const rootId = message.threadRootId
    if (names.length === 0 && room.visibility !== 'direct' && rootId === undefined) return
    const members = (await storage.chat.members(room.id)).filter((member) => member.id !== message.author.id)
    // `@room` is everyone in the room (the chat service decided who may say it).
    const everyone = room.visibility !== 'direct' && names.includes(ROOM_MENTION)
    const mentioned = members.filter((member) => everyone || names.includes(member.username.toLowerCase()))
    const others = room.visibility === 'direct' ? members.filter((member) => !mentioned.includes(member)) : []
    // A thread's followers who are still members, each told once: a mention or a DM says enough.
    const followers = new Set(rootId === undefined ? [] : await storage.chat.threadFollowers(rootId))
    const following = rootId === undefined ? [] : members.filter((member) => followers.has(member.id) && !mentioned.includes(member) && !others.includes(member))
    const concerned = [...mentioned, ...others, ...following]
    if (concerned.length === 0) return
    const looking = await viewers(room.id, concerned.map((member) => member.id))
    const away = (list: typeof members) => list.filter((member) => !looking.has(member.id)).map((member) => member.id)
    const url = rootId !== undefined ? threadUrl(room.id, rootId) : roomUrl(room.id, message.seq)
    if (away(mentioned).length > 0) {
      const where = room.visibility === 'direct' ? 'a direct message' : `#${room.name}`
      await notifications.notify(away(mentioned), { kind: 'mention', title: `${message.author.username} mentioned you in ${where}`, body: excerpt(message.text), url })
    }
    if (away(others).length > 0) {
      await notifications.notify(away(others), { kind: 'dm', title: `New message from ${message.author.username}`, body: excerpt(message.text), url })
    }
    if (away(following).length > 0) {
      const where = room.visibility === 'direct' ? 'a direct message' : `#${room.name}`
      await notifications.notify(away(following), { kind: 'thread', title: `${message.author.username} replied in a thread in ${where}`, body: excerpt(message.text), url })
    }
  }

  async function onInvite (room: RoomInfo, invitee: User, by: User) {
    await notifications.notify([invitee.id], {
      kind: 'invite',
      title: `${by.username} invited you to #${room.name}`,
      body: room.topic,
      url: roomUrl(room.id)
    })
  }

  return { onMessage, onInvite }
}
