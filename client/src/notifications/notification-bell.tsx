import { useEffect, useId, useRef } from 'preact/hooks'
import { BellIcon } from '../ui/icons.tsx'
import { NotificationPanel } from './notification-panel.tsx'
import { notificationPanelOpen } from './notification-panel-open.ts'
import { unreadCount } from './notifications-socket.ts'
import { clearToasts } from './toasts.ts'
import { badgeText, bellLabel } from './unread-text.ts'
import './notifications.css'

// What a click focuses by itself (a focus target like <main tabindex=-1> does not count).
const FOCUSABLE = 'a[href], button, input, select, textarea, summary, [contenteditable=""], [contenteditable="true"], [tabindex]:not([tabindex="-1"])'

/**
 * The bell in the top bar: the unread badge, and the panel it opens (a non-modal popover:
 * Escape or a click elsewhere closes it and focus comes back to the bell). The toasts live here
 * too, as they belong to the same signed-in shell.
 */
export const NotificationBell = () => {
  const open = notificationPanelOpen.value
  const unread = unreadCount.value
  const badge = badgeText(unread)
  const rootRef = useRef<HTMLDivElement>(null)
  const buttonRef = useRef<HTMLButtonElement>(null)
  const panelId = useId()
  const wasOpen = useRef(false)

  const close = ({ focusBell }: { focusBell: boolean }) => {
    notificationPanelOpen.value = false
    if (focusBell) buttonRef.current?.focus()
  }

  useEffect(() => {
    if (!open) {
      // Focus was inside the panel that just went away: give it back to the bell.
      const lost = document.activeElement === null || document.activeElement === document.body
      if (wasOpen.current && lost) buttonRef.current?.focus()
      wasOpen.current = false
      return
    }
    wasOpen.current = true
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Element
      if (rootRef.current?.contains(target)) return
      close({ focusBell: false })
      // A click on something that takes focus keeps it; anywhere else focus returns to the bell,
      // once the browser has finished moving focus for this click.
      if (!target.closest?.(FOCUSABLE)) setTimeout(() => buttonRef.current?.focus(), 0)
    }
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return
      event.preventDefault()
      close({ focusBell: true })
    }
    document.addEventListener('pointerdown', onPointerDown)
    document.addEventListener('keydown', onKeyDown)
    return () => {
      document.removeEventListener('pointerdown', onPointerDown)
      document.removeEventListener('keydown', onKeyDown)
    }
  }, [open])

  // Closed when the shell goes away (sign-out), so the next session starts with it closed.
  useEffect(() => () => { notificationPanelOpen.value = false }, [])

  const toggle = () => {
    // The panel lists whatever the toasts were saying; they would only cover it.
    if (!open) clearToasts()
    notificationPanelOpen.value = !open
  }

  const onFocusOut = (event: FocusEvent) => {
    // Tabbing out of the panel closes it; a click elsewhere is handled by the pointer listener.
    const next = event.relatedTarget as Node | null
    if (open && next && !rootRef.current?.contains(next)) close({ focusBell: false })
  }

  return (
    <>
      <div class='notif' ref={rootRef} onFocusOut={onFocusOut}>
        <button
          ref={buttonRef}
          type='button'
          class='top-bar-button notif-bell'
          aria-label={bellLabel(unread)}
          aria-haspopup='dialog'
          aria-expanded={open}
          aria-controls={open ? panelId : undefined}
          data-unread={badge ? '' : undefined}
          onClick={toggle}
        >
          <BellIcon size={20} />
          {badge ? <span class='notif-badge' aria-hidden='true'>{badge}</span> : null}
        </button>
        {open ? <NotificationPanel id={panelId} onFollow={() => close({ focusBell: false })} /> : null}
      </div>
    </>
  )
}
