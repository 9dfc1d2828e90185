import { effect } from '@preact/signals'
import { currentUser } from '../auth/auth-store.ts'
import { showDesktopNotification, watchDesktopPermission } from './desktop-notifications.ts'
import { followNotification } from './follow-notification.ts'
import { notificationPanelOpen } from './notification-panel-open.ts'
import { onNewNotification, preferences } from './notifications-socket.ts'
import { clearToasts, showToast } from './toasts.ts'

let started = false

/**
 * How a new notification gets the user's attention: a toast while the page is visible (unless
 * the panel already shows it), a desktop notification while it is hidden (if the user enabled
 * them for its kind); otherwise a toast that waits for the user to come back. Under do not
 * disturb (`quiet`) nothing pops up: the bell and the inbox have it.
 */
export const startNotificationAlerts = () => {
  if (started) return
  started = true
  watchDesktopPermission()
  onNewNotification((notification, { quiet }) => {
    if (quiet) return
    const desktopKinds = preferences.peek()?.settings.desktopKinds
    if (document.visibilityState === 'visible') {
      if (!notificationPanelOpen.peek()) showToast(notification)
    } else if (!(desktopKinds?.includes(notification.kind) ?? true) || !showDesktopNotification(notification, () => followNotification(notification))) {
      showToast(notification)
    }
  })
  // Signing out (or in as someone else) takes the previous user's toasts away.
  let userId: string | null = null
  effect(() => {
    const id = currentUser.value?.id ?? null
    if (id !== userId) clearToasts()
    userId = id
  })
}
