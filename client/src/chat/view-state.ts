import { signal } from '@preact/signals'

/** What the chat views share among themselves (not server state). */

/** The message being edited inline in the room (one at a time), by id. */
export const editingMessageId = signal<string | null>(null)

/**
 * The message being edited inline in the thread panel, by id: apart from the room's, since a
 * reply also sent to the room is on screen twice and only the copy asked for becomes a field.
 */
export const editingReplyId = signal<string | null>(null)

/** The members panel stays open (or closed) from room to room. */
export const membersPanelOpen = signal(false)
