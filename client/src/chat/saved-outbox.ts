import type { Message } from '../../../shared/chat.ts'
import { outbox } from './chat-store.ts'
import { me } from './chat-socket.ts'
import { removeConfirmed, saveOutbox, type OutboxItem } from './outbox.ts'

/** clientIds this tab saw confirmed: never written back to storage by this tab. */
const confirmed = new Set<string>()

/** The outbox signal, written through to localStorage (per user). */
export const setOutbox = (items: readonly OutboxItem[]) => {
  outbox.value = items
  const user = me()
  if (user) saveOutbox(window.localStorage, user.id, items, confirmed)
}

/** Our own messages seen in a room (ack, push from another tab, catch-up) clear their outbox items. */
export const confirmOwn = (messages: readonly Message[]) => {
  if (messages.length === 0) return
  const ids = new Set(messages.map((message) => message.clientId))
  for (const id of ids) confirmed.add(id)
  const items = outbox.peek()
  if (items.some((item) => ids.has(item.clientId))) setOutbox(removeConfirmed(items, ids))
}

/** The ack of a message this tab sent. */
export const confirmDelivered = (clientId: string) => {
  confirmed.add(clientId)
  setOutbox(removeConfirmed(outbox.peek(), new Set([clientId])))
}

/** Another user signed in: what this tab saw confirmed was theirs. */
export const forgetConfirmed = () => { confirmed.clear() }
