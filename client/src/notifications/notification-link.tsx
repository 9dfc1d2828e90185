import type { ComponentChildren } from 'preact'
import type { Notification } from '../../../shared/notifications.ts'
import { navigate } from '../ui/router.ts'
import { classifyLink } from './classify-link.ts'
import { markRead } from './notifications-socket.ts'

interface NotificationLinkProps {
  notification: Notification
  class: string
  /** After the notification was opened (close the panel, dismiss the toast). */
  onOpen: () => void
  children: ComponentChildren
}

const modified = (event: MouseEvent) => event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey

/**
 * A notification as something to open: a real link where it points somewhere we follow (so
 * "open in new tab" works), a button that just marks it read where it does not.
 */
export const NotificationLink = ({ notification, class: className, onOpen, children }: NotificationLinkProps) => {
  const target = classifyLink(notification.url, window.location.origin)
  const open = () => {
    markRead([notification.id])
    onOpen()
  }
  switch (target.kind) {
    case 'in-app':
      return (
        <a
          class={className}
          href={target.path}
          onClick={(event) => {
            if (modified(event)) return markRead([notification.id])
            event.preventDefault()
            open()
            navigate(target.path)
          }}
        >
          {children}
        </a>
      )
    case 'external':
      return (
        <a class={className} href={target.href} target='_blank' rel='noopener noreferrer' onClick={open}>
          {children}
          <span class='visually-hidden'> (opens in a new tab)</span>
        </a>
      )
    default:
      return <button type='button' class={className} onClick={open}>{children}</button>
  }
}
