import { signal } from '@preact/signals'
import type { Notification } from '../../../shared/notifications.ts'

/** How long a toast stays (while not hovered or focused). */
export const TOAST_MS = 6000
/** More than this at once and the oldest make room: a burst should not cover the page. */
export const TOAST_MAX = 4

/** The toasts on screen, newest last (they stack upwards from the corner). */
export const toasts = signal<readonly Notification[]>([])

export const showToast = (notification: Notification) => {
  const others = toasts.peek().filter((toast) => toast.id !== notification.id)
  toasts.value = [...others, notification].slice(-TOAST_MAX)
}

export const dismissToast = (id: string) => {
  toasts.value = toasts.peek().filter((toast) => toast.id !== id)
}

export const clearToasts = () => { toasts.value = [] }
