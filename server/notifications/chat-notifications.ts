import type { User } from '../../shared/auth.ts'
import { ROOM_MENTION, type Message } from '../../shared/chat.ts'
import { effectiveLevel } from '../../shared/notifications.ts'
import type { RoomInfo, Storage } from '../storage/types.ts'
import type { NotificationService } from './create-notification-service.ts'

const MENTION = /(?:^|[^\w@])@([A-Za-z0-9_.-]{3,32})/g
const excerpt = (text: string) => text.length > 200 ? `${text.slice(0, 199)}…` : text

/** The @names in a text, lower-cased and each once (a trailing dot ends a sentence, not a name). */
export const mentionedNames = (text: string) =>
  [...new Set([...text.matchAll(MENTION)].map((match) => match[1]!.replace(/\.+$/, '').toLowerCase()))]

/**
  * Turns chat events into notifications: mentions of members (`@room`: all of them), DMs, thread
  * replies to the thread's followers, every message of a room set to "all", invitations. Each
  * member's level for the room decides (`nothing`, or muted: none at all; `mentions`: mentions and
  * followed threads; `all`: every message; unset: `all` in a direct room, `mentions` elsewhere).
  * They reach everyone concerned except those who are looking at that room in a visible tab, on
  * any node (`viewers`); a tab on another page, or hidden, does not count as looking.
 */
export function createChatNotifications ({ notifications, storage, viewers, now = Date.now }: {
  notifications: NotificationService
  storage: Storage
  /** Which of these users have a visible tab showing the room, on every node. */
  viewers: (roomId: string, userIds: readonly string[]) => Promise<Set<string>>
  now?: () => number
}) {
  const roomUrl = (roomId: string, seq?: number) => `/chat/${encodeURIComponent(roomId)}${seq ? `?seq=${seq}` : ''}`
  const threadUrl = (roomId: string, rootId: string) => `/chat/${encodeURIComponent(roomId)}?thread=${encodeURIComponent(rootId)}`

  async function onMessage (message: Message, room: RoomInfo) {
    const direct = room.visibility === 'direct'
    const names = mentionedNames(message.text)
    const rootId = message.threadRootId
    // A reply only in its thread concerns its followers, not those who follow the whole room.
    const inTimeline = rootId === undefined || message.alsoInRoom === true
    const preferences = await storage.notifications.roomPreferences(room.id)
    const at = now()
    const levelOf = (userId: string) => effectiveLevel(preferences.get(userId), direct, at)
    // Most messages in a room concern nobody: no mention, no thread, and nobody has the room at "all".
    if (names.length === 0 && !direct && rootId === undefined && ![...preferences.keys()].some((userId) => levelOf(userId) === 'all')) return
    const members = (await storage.chat.members(room.id)).filter((member) => member.id !== message.author.id)
    // `@room` is everyone in the room (the chat service decided who may say it).
    const everyone = !direct && names.includes(ROOM_MENTION)
    const named = members.filter((member) => everyone || names.includes(member.username.toLowerCase()))
    const mentioned = named.filter((member) => levelOf(member.id) !== 'nothing')
    const others = inTimeline ? members.filter((member) => !named.includes(member) && levelOf(member.id) === 'all') : []
    // A thread's followers who are still members, each told once: a mention or a message says enough.
    const followers = new Set(rootId === undefined ? [] : await storage.chat.threadFollowers(rootId))
    const following = members.filter((member) => followers.has(member.id) && !named.includes(member) && !others.includes(member) && levelOf(member.id) !== 'nothing')
    const concerned = [...mentioned, ...others, ...following]
    if (concerned.length === 0) return
    const looking = await viewers(room.id, concerned.map((member) => member.id))
    // Titles name the author as people see them: the display name, else the username.
    const who = (await storage.users.profiles([message.author.id]))[0]?.displayName || message.author.username
    const away = (list: typeof members) => list.filter((member) => !looking.has(member.id)).map((member) => member.id)
    const url = rootId !== undefined ? threadUrl(room.id, rootId) : roomUrl(room.id, message.seq)
    const where = direct ? 'a direct message' : `#${room.name}`
    const source = { url, body: excerpt(message.text), roomId: room.id, roomName: direct ? null : room.name, actor: message.author.username }
    if (away(mentioned).length > 0) {
      await notifications.notify(away(mentioned), { kind: 'mention', title: `${who} mentioned you in ${where}`, ...source })
    }
    if (away(others).length > 0) {
      await notifications.notify(away(others), direct
        ? { kind: 'dm', title: `New message from ${who}`, ...source }
        : { kind: 'message', title: `New message from ${who} in #${room.name}`, ...source })
    }
    if (away(following).length > 0) {
      await notifications.notify(away(following), { kind: 'thread', title: `${who} replied in a thread in ${where}`, ...source })
    }
  }

  async function onInvite (room: RoomInfo, invitee: User, by: User) {
    await notifications.notify([invitee.id], {
      kind: 'invite',
      title: `${by.username} invited you to #${room.name}`,
      body: room.topic,
      url: roomUrl(room.id),
      roomId: room.id,
      roomName: room.name,
      actor: by.username
    })
  }

  return { onMessage, onInvite }
}
