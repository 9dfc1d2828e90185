import { batch, computed, effect, signal } from '@preact/signals'
import type { Socket } from 'socket.io-client'
import { notificationCommands, PageLimitSchema, type Notification, type notificationPushes } from '../../../shared/notifications.ts'
import { Namespaces, type CommandEvents, type ErrorInfo, type PushEvents } from '../../../shared/protocol.ts'
import { currentUser } from '../auth/auth-store.ts'
import { socketFor } from '../realtime/connection.ts'
import { request } from '../realtime/request.ts'
import { whenConnected } from '../realtime/when-connected.ts'
import { emptyInbox, oldestId, withFirstPage, withNew, withOlderPage, withRead, type Inbox } from './inbox.ts'

type NotificationSocket = Socket<PushEvents<typeof notificationPushes>, CommandEvents<typeof notificationCommands>>
export type LoadState = 'idle' | 'loading' | 'error'

// Page sizes and batch limits come from the shared schemas (TypeBox's types do not declare the
// keywords, though the schema objects carry them).
const keyword = (schema: object, name: 'default' | 'maximum' | 'maxItems') => Number((schema as Record<string, unknown>)[name])
const PAGE_SIZE = keyword(PageLimitSchema, 'default')
const PAGE_MAX = keyword(PageLimitSchema, 'maximum')
const MARK_READ_MAX = keyword(notificationCommands['notification:mark-read'].payload.anyOf[0].properties.ids, 'maxItems')

/** The unread count as the server last said it (pushed on connect and on every change). */
export const unreadCount = signal(0)
/** What this tab has loaded of the inbox, newest first. */
export const inbox = signal<Inbox>(emptyInbox)
/** The first page: loading until the first answer after connecting, then idle (or error). */
export const firstPageState = signal<LoadState>('loading')
/** Loading older pages (infinite scroll). */
export const olderPageState = signal<LoadState>('idle')
/** True once the first page has arrived for this session (the empty state means "none"). */
export const inboxLoaded = computed(() => firstPageState.value === 'idle' || inbox.value.items.length > 0)

const newListeners = new Set<(notification: Notification) => void>()

/** Called for every `notification:new` (toasts and desktop notifications listen here). */
export const onNewNotification = (listener: (notification: Notification) => void) => {
  newListeners.add(listener)
  return () => { newListeners.delete(listener) }
}

let socket: NotificationSocket | null = null
// Bumped whenever the inbox is reset or replaced, so an answer to an older request is dropped.
let generation = 0
let refreshing: Promise<void> | null = null
let refreshAgain = false
// The count pushed right after connecting is taken as is: the first page is reloaded anyway.
let expectingConnectCount = false

const reset = () => {
  generation++
  refreshAgain = false
  batch(() => {
    unreadCount.value = 0
    inbox.value = emptyInbox
    firstPageState.value = 'loading'
    olderPageState.value = 'idle'
  })
}

const loadFirstPage = async (): Promise<void> => {
  if (!socket) return
  const started = generation
  if (inbox.peek().items.length === 0) firstPageState.value = 'loading'
  // Reload as much as is shown (up to the protocol's page limit) so read state follows everywhere.
  const limit = Math.min(PAGE_MAX, Math.max(PAGE_SIZE, inbox.peek().items.length))
  const result = await request(socket, 'notification:list', { limit })
  if (started !== generation) return
  if (!result.ok) {
    firstPageState.value = inbox.peek().items.length === 0 ? 'error' : 'idle'
    return
  }
  generation++
  batch(() => {
    inbox.value = withFirstPage(inbox.peek(), result.data)
    unreadCount.value = result.data.unread
    firstPageState.value = 'idle'
    olderPageState.value = 'idle'
  })
}

/**
 * Reloads the first page; calls made while one is on its way coalesce into one more reload after
 * it, so a burst of changes costs at most two requests.
 */
export const refreshInbox = (): Promise<void> => {
  if (refreshing) {
    refreshAgain = true
    return refreshing
  }
  refreshing = (async () => {
    try {
      do {
        refreshAgain = false
        await loadFirstPage()
      } while (refreshAgain)
    } finally {
      refreshing = null
    }
  })()
  return refreshing
}

/** Loads the next older page, if there is one and none is on its way. */
export const loadMore = async (): Promise<void> => {
  const current = inbox.peek()
  const before = oldestId(current)
  if (!socket || !current.hasMore || before === undefined || olderPageState.peek() === 'loading' || refreshing) return
  const started = generation
  olderPageState.value = 'loading'
  const result = await request(socket, 'notification:list', { before, limit: PAGE_SIZE })
  if (started !== generation) {
    olderPageState.value = 'idle'
    return
  }
  if (!result.ok) {
    olderPageState.value = 'error'
    return
  }
  batch(() => {
    inbox.value = withOlderPage(inbox.peek(), result.data)
    unreadCount.value = result.data.unread
    olderPageState.value = 'idle'
  })
}

/**
 * A local change the server has not confirmed yet: a page already on its way may predate it,
 * so it is dropped and asked for again (the new request reaches the server after the change).
 */
const changedLocally = () => {
  generation++
  if (refreshing) refreshAgain = true
}

const settle = (result: { ok: true, data: { unread: number } } | { ok: false, error: ErrorInfo }) => {
  if (result.ok) unreadCount.value = result.data.unread
  // The optimistic change did not happen on the server: take the server's view again.
  else refreshInbox()
}

/** Marks these notifications read (shown at once; the server's count follows). */
export const markRead = async (ids: readonly string[]) => {
  const unreadIds = ids.filter((id) => inbox.peek().items.some((item) => item.id === id && item.readAt === null))
  if (!socket || unreadIds.length === 0) return
  changedLocally()
  batch(() => {
    inbox.value = withRead(inbox.peek(), unreadIds, Date.now())
    unreadCount.value = Math.max(0, unreadCount.peek() - unreadIds.length)
  })
  for (let start = 0; start < unreadIds.length; start += MARK_READ_MAX) {
    settle(await request(socket, 'notification:mark-read', { ids: unreadIds.slice(start, start + MARK_READ_MAX) }))
  }
}

export const markAllRead = async () => {
  if (!socket) return
  changedLocally()
  batch(() => {
    inbox.value = withRead(inbox.peek(), 'all', Date.now())
    unreadCount.value = 0
  })
  settle(await request(socket, 'notification:mark-read', { all: true }))
}

const onUnread = ({ count }: { count: number }) => {
  const expected = unreadCount.peek()
  unreadCount.value = count
  if (expectingConnectCount) {
    expectingConnectCount = false
    return
  }
  if (count === expected) return
  // Not what this tab expected: another tab (or device) read something, or a push was missed.
  // At zero every held item is read; otherwise the first page says which ones.
  if (count === 0) inbox.value = withRead(inbox.peek(), 'all', Date.now())
  refreshInbox()
}

const onNew = ({ notification }: { notification: Notification }) => {
  const known = inbox.peek().items.some((item) => item.id === notification.id)
  batch(() => {
    inbox.value = withNew(inbox.peek(), notification)
    // The server's count follows in a moment; counting now keeps the badge in step with the toast.
    if (!known && notification.readAt === null) unreadCount.value = unreadCount.peek() + 1
  })
  if (!known) for (const listener of newListeners) listener(notification)
}

/**
 * The `/notifications` socket, owned by this module: created once (up front, so it opens with
 * the session), it keeps the unread count and the inbox in step and re-syncs after every
 * reconnect. Views read the signals above and call the functions; none touches the socket.
 */
export const notificationsSocket = () => {
  if (socket) return socket
  const created = socketFor<PushEvents<typeof notificationPushes>, CommandEvents<typeof notificationCommands>>(Namespaces.notifications)
  socket = created
  created.on('connect', () => { expectingConnectCount = true })
  created.on('notification:unread', onUnread)
  created.on('notification:new', onNew)
  whenConnected(created, () => { refreshInbox() })

  // Another user (or nobody) signed in: nothing of the previous inbox may show.
  let userId: string | null = null
  effect(() => {
    const id = currentUser.value?.id ?? null
    if (id === userId) return
    userId = id
    reset()
  })
  return created
}
