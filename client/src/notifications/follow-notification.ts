import type { Notification } from '../../../shared/notifications.ts'
import { navigate } from '../ui/router.ts'
import { classifyLink } from './classify-link.ts'
import { markRead } from './notifications-socket.ts'

/**
 * Opening a notification from outside the page (a desktop notification): mark it read, then go
 * where it points: an in-app path through the router, an http(s) link in a new tab, nothing else.
 */
export const followNotification = (notification: Notification) => {
  markRead([notification.id])
  const target = classifyLink(notification.url, window.location.origin)
  if (target.kind === 'in-app') navigate(target.path)
  else if (target.kind === 'external') window.open(target.href, '_blank', 'noopener,noreferrer')
}
