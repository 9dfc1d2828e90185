import { computed, signal } from '@preact/signals'
import type { Notification } from '../../../shared/notifications.ts'

export type DesktopPermission = NotificationPermission | 'unsupported'

const supported = () => typeof window !== 'undefined' && 'Notification' in window
const PREFERENCE_KEY = 'hubbub.desktop-notifications'

const readPreference = () => {
  try {
    return localStorage.getItem(PREFERENCE_KEY) !== 'off'
  } catch {
    return true
  }
}

/** What the browser allows. Only a click on "Enable desktop notifications" ever asks. */
export const desktopPermission = signal<DesktopPermission>(supported() ? Notification.permission : 'unsupported')
/** The user's own switch, for when the browser allows them (a page cannot revoke a permission). */
export const desktopWanted = signal(readPreference())
export const desktopEnabled = computed(() => desktopPermission.value === 'granted' && desktopWanted.value)

let watching = false
/** Follows permission changes made in the browser's site settings while the page is open. */
export const watchDesktopPermission = () => {
  if (watching || !supported() || !navigator.permissions) return
  watching = true
  navigator.permissions.query({ name: 'notifications' }).then((status) => {
    status.addEventListener('change', () => { desktopPermission.value = Notification.permission })
  }).catch(() => {})
}

/** Asks the browser (must run from a click: browsers ignore or penalise asking unprompted). */
export const requestDesktopPermission = async () => {
  if (!supported()) return
  if (Notification.permission === 'default') {
    try {
      desktopPermission.value = await Notification.requestPermission()
    } catch {
      desktopPermission.value = Notification.permission
    }
  } else {
    desktopPermission.value = Notification.permission
  }
  if (desktopPermission.peek() === 'granted') setDesktopWanted(true)
}

export const setDesktopWanted = (wanted: boolean) => {
  desktopWanted.value = wanted
  try {
    localStorage.setItem(PREFERENCE_KEY, wanted ? 'on' : 'off')
  } catch {
    // Private mode without storage: the choice lasts for this page.
  }
}

/**
 * Shows a system notification; `onClick` runs when the user clicks it. The notification's id is
 * the tag, so several tabs of the same user show it once.
 */
export const showDesktopNotification = (notification: Notification, onClick: () => void) => {
  if (!supported() || Notification.permission !== 'granted' || !desktopWanted.peek()) return false
  try {
    const shown = new Notification(notification.title, {
      body: notification.body,
      tag: notification.id,
      icon: '/favicon.svg'
    })
    shown.addEventListener('click', () => {
      window.focus()
      shown.close()
      onClick()
    })
    return true
  } catch {
    // Some platforms (Android Chrome) allow notifications only from a service worker.
    return false
  }
}
