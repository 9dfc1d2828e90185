import { useEffect, useRef, useState } from 'preact/hooks'
import type { Notification } from '../../../shared/notifications.ts'
import { CloseIcon } from '../ui/icons.tsx'
import { KindIcon, kindLabels } from './kind-icon.tsx'
import { NotificationLink } from './notification-link.tsx'
import { dismissToast, TOAST_MS, toasts } from './toasts.ts'

const pageVisible = () => document.visibilityState === 'visible'

/**
 * Counts down while nobody is looking at the toast: hovering it, focusing inside it or leaving
 * the tab pauses the clock (so it is never gone before it could be read).
 */
const useCountdown = (ms: number, paused: boolean, onDone: () => void) => {
  const remaining = useRef(ms)
  const [hidden, setHidden] = useState(!pageVisible())
  useEffect(() => {
    const onVisibility = () => setHidden(!pageVisible())
    document.addEventListener('visibilitychange', onVisibility)
    return () => document.removeEventListener('visibilitychange', onVisibility)
  }, [])
  const running = !paused && !hidden
  useEffect(() => {
    if (!running) return
    const started = Date.now()
    const timer = setTimeout(onDone, remaining.current)
    return () => {
      clearTimeout(timer)
      remaining.current = Math.max(0, remaining.current - (Date.now() - started))
    }
  }, [running])
  return running
}

const Toast = ({ notification }: { notification: Notification }) => {
  const [hovered, setHovered] = useState(false)
  const [focused, setFocused] = useState(false)
  const dismiss = () => dismissToast(notification.id)
  const running = useCountdown(TOAST_MS, hovered || focused, dismiss)
  return (
    <div
      class='toast'
      data-running={running ? '' : undefined}
      style={{ '--toast-ms': `${TOAST_MS}ms` }}
      onPointerEnter={() => setHovered(true)}
      onPointerLeave={() => setHovered(false)}
      onFocusIn={() => setFocused(true)}
      onFocusOut={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setFocused(false)
      }}
    >
      <NotificationLink class='toast-main' notification={notification} onOpen={dismiss}>
        <KindIcon kind={notification.kind} />
        <span class='toast-text'>
          <span class='visually-hidden'>{kindLabels[notification.kind]}: </span>
          <span class='toast-title'>{notification.title}</span>
          {notification.body ? <span class='toast-body'>{notification.body}</span> : null}
        </span>
      </NotificationLink>
      <button type='button' class='toast-dismiss' aria-label='Dismiss' title='Dismiss' onClick={dismiss}>
        <CloseIcon size={16} />
      </button>
      <span class='toast-timer' aria-hidden='true' />
    </div>
  )
}

/** New notifications as toasts in the corner, announced politely to screen readers. */
export const NotificationToasts = () => (
  <section class='toasts' aria-live='polite' aria-label='New notifications'>
    {toasts.value.map((notification) => <Toast key={notification.id} notification={notification} />)}
  </section>
)
