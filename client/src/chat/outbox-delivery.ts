import { request } from '../realtime/request.ts'
import { createRerunLoop } from '../realtime/rerun-loop.ts'
import { outbox } from './chat-store.ts'
import { chatSocket, isLive, me, socketAnswers } from './chat-socket.ts'
import { acceptMessage } from './follow-rooms.ts'
import { enqueue, markFailed, markQueued, markSending, newOutboxItem, nextToSend, shouldRequeue, type ReplyTarget } from './outbox.ts'
import { confirmDelivered, setOutbox } from './saved-outbox.ts'
import { replyDelivered } from './threads.ts'

/** How long a message may wait for its ack before it shows as failed (with Retry). */
const SEND_TIMEOUT_MS = 10_000

/** One pass over the queue: sends queued messages one at a time, in the order written, while live. */
const flushQueued = async () => {
  for (;;) {
    const user = me()
    if (!user || !isLive()) return
    const item = nextToSend(outbox.peek())
    if (!item) return
    const stale = socketAnswers.stamp()
    setOutbox(markSending(outbox.peek(), item.clientId))
    const result = await request(chatSocket(), 'chat:send', {
      roomId: item.roomId,
      text: item.text,
      clientId: item.clientId,
      ...(item.imageId !== undefined && { imageId: item.imageId }),
      ...(item.threadRootId !== undefined && { threadRootId: item.threadRootId, alsoInRoom: item.alsoInRoom === true })
    }, SEND_TIMEOUT_MS)
    // Signed out (or in as someone else) meanwhile: that outbox is stored, not ours to touch.
    if (me() !== user) return
    if (result.ok) {
      confirmDelivered(item.clientId)
      acceptMessage(result.data.message)
      if (item.threadRootId !== undefined) replyDelivered(result.data.message)
    } else if (shouldRequeue(result.error, isLive()) || (result.error.code === 'unavailable' && stale())) {
      // The connection went (or came back) while waiting: it may not have arrived; resending is safe.
      setOutbox(markQueued(outbox.peek(), item.clientId))
      return
    } else {
      setOutbox(markFailed(outbox.peek(), item.clientId, result.error))
    }
  }
}

const delivery = createRerunLoop(flushQueued)

/** Delivers the outbox; a call while a pass runs makes it go round once more when done. */
export const flushOutbox = (): Promise<void> => delivery.run()

/**
 * Writes a message (or, with `reply`, a thread reply): it shows as pending at once, waits in the
 * outbox and goes out in order.
 */
export const sendMessage = (roomId: string, text: string, imageId?: string, reply?: ReplyTarget) => {
  const item = newOutboxItem(roomId, text, crypto.randomUUID(), Date.now(), imageId, reply)
  setOutbox(enqueue(outbox.peek(), item))
  flushOutbox()
  // The sender can follow it in the outbox (gone from it once the server has it).
  return item.clientId
}

/** Sends a failed message again, with the same clientId (the server posts it at most once). */
export const retryMessage = (clientId: string) => {
  setOutbox(markQueued(outbox.peek(), clientId))
  flushOutbox()
}

/** Gives up on a message that was not sent. */
export const discardMessage = (clientId: string) => {
  setOutbox(outbox.peek().filter((item) => item.clientId !== clientId))
}
