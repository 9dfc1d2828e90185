import { signal } from '@preact/signals'

/** What the chat views share among themselves (not server state). */

/** The message being edited inline (one at a time), by id. */
export const editingMessageId = signal<string | null>(null)

/** The members panel stays open (or closed) from room to room. */
export const membersPanelOpen = signal(false)
