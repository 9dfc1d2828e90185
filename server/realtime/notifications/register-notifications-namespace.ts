import { notificationCommands, type notificationPushes } from '../../../shared/notifications.ts'
import type { AwayService } from '../../notifications/create-away-service.ts'
import type { NotificationService } from '../../notifications/create-notification-service.ts'
import { createDispatcher, defineHandler, type BindContext, type Handlers } from '../define-handler.ts'
import type { TypedNamespace, TypedSocket } from '../types.ts'

export type NotificationsNamespace = TypedNamespace<typeof notificationCommands, typeof notificationPushes>

type NotificationSocket = TypedSocket<typeof notificationCommands, typeof notificationPushes>

function notificationHandlers (notifications: NotificationService, away: AwayService): Handlers<typeof notificationCommands, NotificationSocket> {
  const c = notificationCommands
  return {
    'notification:list': defineHandler(c['notification:list'], (payload, socket) => notifications.list(socket.data.user!, payload)),
    'notification:mark-read': defineHandler(c['notification:mark-read'], async (payload, socket) =>
      ({ unread: await notifications.markRead(socket.data.user!, payload, socket.id) })),
    'notification:mark-unread': defineHandler(c['notification:mark-unread'], async (payload, socket) =>
      ({ unread: await notifications.markUnread(socket.data.user!, payload, socket.id) })),
    'notification:done': defineHandler(c['notification:done'], async (payload, socket) =>
      ({ unread: await notifications.done(socket.data.user!, payload, socket.id) })),
    'notification:preferences': defineHandler(c['notification:preferences'], (_payload, socket) => notifications.preferences(socket.data.user!)),
    'notification:set-room': defineHandler(c['notification:set-room'], (payload, socket) => notifications.setRoom(socket.data.user!, payload, socket.id)),
    'notification:set-settings': defineHandler(c['notification:set-settings'], (payload, socket) => notifications.setSettings(socket.data.user!, payload, socket.id)),
    'away:summary': defineHandler(c['away:summary'], (payload, socket) => away.summary(socket.data.user!, payload))
  }
}

/** The /notifications namespace: the unread count on connect, then the inbox, its preferences and the "while you were away" summary. */
export function registerNotificationsNamespace (nsp: NotificationsNamespace, { notifications, away, context }: { notifications: NotificationService, away: AwayService, context: BindContext }) {
  const dispatch = createDispatcher(notificationHandlers(notifications, away), context)
  nsp.on('connection', async (socket) => {
    socket.onAny(dispatch)
    try {
      socket.emit('notification:unread', { count: await notifications.unread(socket.data.user!) })
    } catch (err) {
      context.log.error({ err, ns: nsp.name, socketId: socket.id }, 'unread count on connect failed')
    }
  })
}
