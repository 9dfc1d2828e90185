import type { User } from '../../shared/auth.ts'
import type { Message } from '../../shared/chat.ts'
import type { Presence } from '../chat/presence.ts'
import type { RoomInfo, Storage } from '../storage/types.ts'
import type { NotificationService } from './create-notification-service.ts'

const MENTION = /(?:^|[^\w@])@([A-Za-z0-9_.-]{3,32})/g
const excerpt = (text: string) => text.length > 200 ? `${text.slice(0, 199)}…` : text

/** The @names in a text, lower-cased and each once (a trailing dot ends a sentence, not a name). */
export const mentionedNames = (text: string) =>
  [...new Set([...text.matchAll(MENTION)].map((match) => match[1]!.replace(/\.+$/, '').toLowerCase()))]

/** Turns chat events into notifications: mentions of members, DMs to someone away, invitations. */
export function createChatNotifications ({ notifications, storage, presence }: {
  notifications: NotificationService
  storage: Storage
  presence: Presence
}) {
  const roomUrl = (roomId: string, seq?: number) => `/chat/${encodeURIComponent(roomId)}${seq ? `?seq=${seq}` : ''}`

  async function onMessage (message: Message, room: RoomInfo) {
    const names = mentionedNames(message.text)
    if (names.length === 0 && room.visibility !== 'direct') return
    const members = await storage.chat.members(room.id)
    const notified = new Set<string>([message.author.id])
    if (names.length > 0) {
      const mentioned = members.filter((member) => names.includes(member.username.toLowerCase()) && !notified.has(member.id))
      if (mentioned.length > 0) {
        const where = room.visibility === 'direct' ? 'a direct message' : `#${room.name}`
        await notifications.notify(mentioned.map((member) => member.id), {
          kind: 'mention',
          title: `${message.author.username} mentioned you in ${where}`,
          body: excerpt(message.text),
          url: roomUrl(room.id, message.seq)
        })
        for (const member of mentioned) notified.add(member.id)
      }
    }
    if (room.visibility === 'direct') {
      const online = await presence.online(room.id)
      const away = members.filter((member) => !notified.has(member.id) && !online.has(member.id))
      if (away.length > 0) {
        await notifications.notify(away.map((member) => member.id), {
          kind: 'dm',
          title: `New message from ${message.author.username}`,
          body: excerpt(message.text),
          url: roomUrl(room.id, message.seq)
        })
      }
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
