import { chatCommands, type chatPushes } from '../../../shared/chat.ts'
import type { ChatService } from '../../chat/create-chat-service.ts'
import { createDispatcher, defineHandler, type Handlers } from '../define-handler.ts'
import { rooms } from '../rooms.ts'
import type { BindContext } from '../define-handler.ts'
import type { TypedNamespace, TypedSocket } from '../types.ts'

export type ChatNamespace = TypedNamespace<typeof chatCommands, typeof chatPushes>

type ChatSocket = TypedSocket<typeof chatCommands, typeof chatPushes>

/** Every /chat command, validated by its shared schema, run by the chat service. */
const actor = (socket: ChatSocket) => ({ user: socket.data.user!, socketId: socket.id })

function chatHandlers (chat: ChatService): Handlers<typeof chatCommands, ChatSocket> {
  const c = chatCommands
  return {
    'chat:join': defineHandler(c['chat:join'], (payload, socket) => chat.join(actor(socket), payload)),
    'chat:leave': defineHandler(c['chat:leave'], async ({ roomId }, socket) => {
      await chat.leave(actor(socket), roomId)
      return {}
    }),
    'chat:send': defineHandler(c['chat:send'], async (payload, socket) => ({ message: await chat.send(actor(socket), payload) })),
    'chat:edit': defineHandler(c['chat:edit'], async (payload, socket) => ({ message: await chat.edit(actor(socket), payload) })),
    'chat:delete': defineHandler(c['chat:delete'], async (payload, socket) => ({ message: await chat.delete(actor(socket), payload) })),
    'chat:react': defineHandler(c['chat:react'], (payload, socket) => chat.react(actor(socket), payload)),
    'chat:thread': defineHandler(c['chat:thread'], (payload, socket) => chat.thread(socket.data.user!, payload)),
    'chat:follow-thread': defineHandler(c['chat:follow-thread'], (payload, socket) => chat.followThread(socket.data.user!, payload)),
    'chat:history': defineHandler(c['chat:history'], ({ roomId, before, limit }, socket) => chat.history(socket.data.user!, roomId, before, limit)),
    'chat:typing': defineHandler(c['chat:typing'], async (payload, socket) => {
      await chat.typing(actor(socket), payload, socket.rooms.has(rooms.chat(payload.roomId)))
      return {}
    }),
    'chat:search': defineHandler(c['chat:search'], (payload, socket) => chat.search(socket.data.user!, payload)),
    'chat:read': defineHandler(c['chat:read'], async (payload, socket) => ({ unread: await chat.read(actor(socket), payload) })),
    'chat:mark-unread': defineHandler(c['chat:mark-unread'], async (payload, socket) => ({ unread: await chat.markUnread(actor(socket), payload) })),
    'chat:room-update': defineHandler(c['chat:room-update'], async (payload, socket) => ({ room: await chat.updateRoom(socket.data.user!, payload) })),
    'chat:member-role': defineHandler(c['chat:member-role'], async (payload, socket) => ({ member: await chat.setMemberRole(socket.data.user!, payload) })),
    'chat:member-remove': defineHandler(c['chat:member-remove'], async (payload, socket) => {
      await chat.removeMember(socket.data.user!, payload)
      return {}
    }),
    'chat:room-leave': defineHandler(c['chat:room-leave'], async (payload, socket) => {
      await chat.leaveRoom(socket.data.user!, payload)
      return {}
    }),
    // The socket's own state, read by the notification decision on any node: no service involved.
    'chat:focus': defineHandler(c['chat:focus'], ({ roomId, visible }, socket) => {
      socket.data.viewing = visible ? roomId : null
      return {}
    })
  }
}

/** The /chat namespace: commands in, presence kept as sockets come and go. */
export function registerChatNamespace (nsp: ChatNamespace, { chat, context }: { chat: ChatService, context: BindContext }) {
  const dispatch = createDispatcher(chatHandlers(chat), context)
  const followed = (socket: ChatSocket) => [...socket.rooms].map(rooms.chatRoomId).filter((roomId): roomId is string => roomId !== null)
  // One function for every socket (the socket is `this`), not a closure per connection.
  function disconnecting (this: ChatSocket) {
    chat.disconnected(actor(this), followed(this)).catch((err) => context.log.error({ err, ns: nsp.name }, 'leave on disconnect failed'))
  }
  nsp.on('connection', (socket) => {
    socket.onAny(dispatch)
    socket.on('disconnecting', disconnecting)
    // Back within the recovery window, with its rooms: online in them again.
    if (socket.recovered) chat.resumed(actor(socket), followed(socket)).catch((err) => context.log.error({ err, ns: nsp.name }, 'presence on recovery failed'))
  })
}
