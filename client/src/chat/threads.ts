import { batch, signal } from '@preact/signals'
import type { Message, ReactionsState } from '../../../shared/chat.ts'
import type { ErrorInfo } from '../../../shared/protocol.ts'
import { request } from '../realtime/request.ts'
import { chatSocket, socketAnswers } from './chat-socket.ts'
import { applyMessageUpdate } from './room-updates.ts'
import { applyReactions } from './reactions.ts'
import { applyDeletion, mergeMessages, type Timeline } from './timeline.ts'

/**
 * The thread panel: one thread open at a time, its root and replies as the server last said
 * them. Replies are messages of the room (they keep the room's seqs dense), so each one also goes
 * to the room's timeline, where the list leaves out those not sent to the room (`inTimeline` in timeline.ts).
 */

export interface ThreadView {
  roomId: string
  rootId: string
  root: Message | null
  replies: readonly Message[]
  /** Older replies than those held exist. */
  hasMore: boolean
  following: boolean
  status: 'loading' | 'ready' | 'failed'
  error: ErrorInfo | null
}

export const openThread = signal<ThreadView | null>(null)

/** "3 replies", "1 reply". */
export const describeReplies = (count: number) => `${count} ${count === 1 ? 'reply' : 'replies'}`

const isOpen = (roomId: string, rootId: string) => {
  const view = openThread.peek()
  return view !== null && view.roomId === roomId && view.rootId === rootId ? view : null
}

/** Loads (or reloads, after a reconnect) the open thread's root and newest replies. */
const load = async (roomId: string, rootId: string) => {
  const stale = socketAnswers.stamp()
  const result = await request(chatSocket(), 'chat:thread', { roomId, rootId })
  const view = isOpen(roomId, rootId)
  if (stale() || !view) return
  if (!result.ok) {
    openThread.value = { ...view, status: 'failed', error: result.error }
    return
  }
  const { root, messages, hasMore, following } = result.data
  batch(() => {
    // Replies that arrived while the page was on its way stay.
    openThread.value = { ...view, root, replies: mergeMessages(messages, view.replies).messages, hasMore, following, status: 'ready', error: null }
    applyMessageUpdate(root)
  })
}

/** Opens a thread in the panel by its root's id (a thread link); `root` shows at once when held. */
export const showThreadOf = (roomId: string, rootId: string, root: Message | null = null) => {
  if (isOpen(roomId, rootId)) return
  openThread.value = { roomId, rootId, root, replies: [], hasMore: false, following: false, status: 'loading', error: null }
  load(roomId, rootId)
}

/** Opens a message's thread in the panel (the message itself when it is a reply: its root's). */
export const showThread = (message: Message) =>
  showThreadOf(message.roomId, message.threadRootId ?? message.id, message.threadRootId === undefined ? message : null)

export const closeThread = () => { openThread.value = null }

/** After a reconnect the open thread is read again (what was missed meanwhile comes with it). */
export const refreshThread = () => {
  const view = openThread.peek()
  if (view) load(view.roomId, view.rootId)
}

/** A new message from a push or an ack: a reply of the open thread joins its replies. */
export const applyThreadMessage = (message: Message) => {
  const view = message.threadRootId === undefined ? null : isOpen(message.roomId, message.threadRootId)
  if (view) openThread.value = { ...view, replies: mergeMessages(view.replies, [message]).messages }
}

/** A changed message: the open thread's root (its count) or one of its replies. */
export const applyThreadUpdate = (message: Message) => {
  const view = openThread.peek()
  if (!view || view.roomId !== message.roomId) return
  if (message.id === view.rootId && (view.root === null || (message.rev ?? 0) >= (view.root.rev ?? 0))) openThread.value = { ...view, root: message }
  else if (message.threadRootId === view.rootId) openThread.value = { ...view, replies: mergeMessages(view.replies, [message]).messages }
}

/**
 * Runs a timeline change (reactions, a deletion: by seq and id, the later state winning) on the
 * open thread's root and replies as on a room's timeline, when the message is one of them.
 */
const changeThread = (roomId: string, change: (timeline: Timeline) => { timeline: Timeline }) => {
  const view = openThread.peek()
  if (!view || view.roomId !== roomId) return
  const asTimeline = (messages: readonly Message[]): Timeline => ({ messages, syncedThrough: 0, startReached: true, loaded: true })
  const root = view.root ? change(asTimeline([view.root])).timeline.messages[0] ?? view.root : null
  const replies = change(asTimeline(view.replies)).timeline.messages
  if (root !== view.root || replies !== view.replies) openThread.value = { ...view, root, replies }
}

/** A message's reactions as they now are (push or ack): on the open thread's root or reply too. */
export const applyThreadReactions = (state: ReactionsState) => changeThread(state.roomId, (timeline) => applyReactions(timeline, state))

/** A deleted message (the `chat:message-deleted` push): the open thread's root or reply shows it deleted. */
export const applyThreadDeletion = ({ roomId, messageId, seq }: { roomId: string, messageId: string, seq: number }) =>
  changeThread(roomId, (timeline) => applyDeletion(timeline, messageId, seq))

/**
 * A reply of ours the server has (the outbox's ack): it joins the open thread; replying follows a
 * thread unless one stopped following it, which the server knows, so a thread not followed is read again.
 */
export const replyDelivered = (message: Message) => {
  applyThreadMessage(message)
  const view = message.threadRootId === undefined ? null : isOpen(message.roomId, message.threadRootId)
  if (view && !view.following) load(view.roomId, view.rootId)
}

/** Follows the open thread (notified of its replies) or stops. */
export const setFollowing = async (follow: boolean) => {
  const view = openThread.peek()
  if (!view) return
  const result = await request(chatSocket(), 'chat:follow-thread', { roomId: view.roomId, rootId: view.rootId, follow })
  const now = isOpen(view.roomId, view.rootId)
  if (result.ok && now) openThread.value = { ...now, following: result.data.following }
}

/** Older replies of the open thread. */
export const loadOlderReplies = async () => {
  const view = openThread.peek()
  const oldest = view?.replies[0]
  if (!view || !oldest) return
  const result = await request(chatSocket(), 'chat:thread', { roomId: view.roomId, rootId: view.rootId, before: oldest.seq })
  const now = isOpen(view.roomId, view.rootId)
  if (result.ok && now) openThread.value = { ...now, replies: mergeMessages(now.replies, result.data.messages).messages, hasMore: result.data.hasMore }
}
