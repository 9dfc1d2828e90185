import { signal } from '@preact/signals'

/** Whether the bell's panel is open (new notifications then show in it, not as toasts). */
export const notificationPanelOpen = signal(false)
