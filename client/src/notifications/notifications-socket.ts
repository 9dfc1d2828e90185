import { batch, computed, signal } from '@preact/signals'
import { matchesFilter, notificationCommands, PageLimitSchema, type AwaySummary, type InboxFilter, type Notification, type NotificationSettings, type notificationPushes, type Preferences, type RoomLevel } from '../../../shared/notifications.ts'
import { Namespaces, type AckResult } from '../../../shared/protocol.ts'
import { currentUser } from '../auth/auth-store.ts'
import { lazySocket } from '../realtime/lazy-socket.ts'
import { onUserChange } from '../realtime/on-user-change.ts'
import { request } from '../realtime/request.ts'
import { createRerunLoop } from '../realtime/rerun-loop.ts'
import { createStaleGuard } from '../realtime/stale-guard.ts'
import { whenConnected } from '../realtime/when-connected.ts'
import { emptyInbox, oldestId, withFirstPage, withNew, withOlderPage, withoutIds, withRead, withUnread, type Inbox } from './inbox.ts'

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

/** The user's notification preferences, as the server last said (null until loaded). */
export const preferences = signal<Preferences | null>(null)
/** The inbox's filter (undefined: everything); the list is loaded by it. */
export const inboxFilter = signal<InboxFilter | undefined>(undefined)

type NewListener = (notification: Notification, options: { quiet: boolean }) => void
const newListeners = new Set<NewListener>()

/** Called for every `notification:new` (toasts and desktop notifications listen here; `quiet` under do not disturb). */
export const onNewNotification = (listener: NewListener) => {
  newListeners.add(listener)
  return () => { newListeners.delete(listener) }
}

// Moved on whenever the inbox is reset or replaced, so an answer to an older request is dropped.
const answers = createStaleGuard()
// The count pushed right after connecting is taken as is: the first page is reloaded anyway.
let expectingConnectCount = false

const reset = () => {
  answers.invalidate()
  refresh.cancelRerun()
  batch(() => {
    unreadCount.value = 0
    inbox.value = emptyInbox
    firstPageState.value = 'loading'
    olderPageState.value = 'idle'
    preferences.value = null
    inboxFilter.value = undefined
  })
}

const loadFirstPage = async (): Promise<void> => {
  const socket = notificationsSocket.peek()
  if (!socket) return
  const stale = answers.stamp()
  if (inbox.peek().items.length === 0) firstPageState.value = 'loading'
  // Reload as much as is shown (up to the protocol's page limit) so read state follows everywhere.
  const limit = Math.min(PAGE_MAX, Math.max(PAGE_SIZE, inbox.peek().items.length))
  const filter = inboxFilter.peek()
  const result = await request(socket, 'notification:list', { limit, ...(filter && { filter }) })
  if (stale()) return
  if (!result.ok) {
    firstPageState.value = inbox.peek().items.length === 0 ? 'error' : 'idle'
    return
  }
  answers.invalidate()
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
const refresh = createRerunLoop(loadFirstPage)
export const refreshInbox = (): Promise<void> => refresh.run()

/** Loads the next older page, if there is one and none is on its way. */
export const loadMore = async (): Promise<void> => {
  const socket = notificationsSocket.peek()
  const current = inbox.peek()
  const before = oldestId(current)
  if (!socket || !current.hasMore || before === undefined || olderPageState.peek() === 'loading' || refresh.isRunning()) return
  const stale = answers.stamp()
  olderPageState.value = 'loading'
  const filter = inboxFilter.peek()
  const result = await request(socket, 'notification:list', { before, limit: PAGE_SIZE, ...(filter && { filter }) })
  if (stale()) {
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
  answers.invalidate()
  refresh.rerunIfRunning()
}

const settle = (result: AckResult<{ unread: number }>) => {
  if (result.ok) unreadCount.value = result.data.unread
  // The optimistic change did not happen on the server: take the server's view again.
  else refreshInbox()
}

/** Marks these notifications read (shown at once; the server's count follows). */
export const markRead = async (ids: readonly string[]) => {
  const socket = notificationsSocket.peek()
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
  const socket = notificationsSocket.peek()
  if (!socket) return
  changedLocally()
  batch(() => {
    inbox.value = withRead(inbox.peek(), 'all', Date.now())
    unreadCount.value = 0
  })
  settle(await request(socket, 'notification:mark-read', { all: true }))
}

/** Marks one notification unread again (shown at once; the server's count follows). */
export const markUnread = async (id: string) => {
  const socket = notificationsSocket.peek()
  if (!socket || !inbox.peek().items.some((item) => item.id === id && item.readAt !== null)) return
  changedLocally()
  batch(() => {
    inbox.value = withUnread(inbox.peek(), [id])
    unreadCount.value = unreadCount.peek() + 1
  })
  settle(await request(socket, 'notification:mark-unread', { id }))
}

/** Notifications marked done in this tab and not yet undone, for the Undo toast. */
export const lastDone = signal<readonly Notification[]>([])

/** Archives notifications: gone from the list at once (and read); `undoDone()` brings them back. */
export const markDone = async (ids: readonly string[]) => {
  const socket = notificationsSocket.peek()
  const done = inbox.peek().items.filter((item) => ids.includes(item.id))
  if (!socket || done.length === 0) return
  changedLocally()
  batch(() => {
    inbox.value = withoutIds(inbox.peek(), ids)
    unreadCount.value = Math.max(0, unreadCount.peek() - done.filter((item) => item.readAt === null).length)
    lastDone.value = done
  })
  settle(await request(socket, 'notification:done', { ids: done.map((item) => item.id), done: true }))
}

/** Undoes the last done: the items come back (read) where they were. */
export const undoDone = async () => {
  const socket = notificationsSocket.peek()
  const done = lastDone.peek()
  if (!socket || done.length === 0) return
  changedLocally()
  const filter = inboxFilter.peek()
  batch(() => {
    lastDone.value = []
    for (const item of done) {
      const back = { ...item, readAt: item.readAt ?? Date.now() }
      if (matchesFilter(back, filter)) inbox.value = withNew(inbox.peek(), back)
    }
  })
  settle(await request(socket, 'notification:done', { ids: done.map((item) => item.id), done: false }))
}

/** Shows only what matches (undefined: everything), loading the list again by it. */
export const setInboxFilter = (filter: InboxFilter | undefined) => {
  if (filter === inboxFilter.peek()) return
  answers.invalidate()
  batch(() => {
    inboxFilter.value = filter
    inbox.value = emptyInbox
    firstPageState.value = 'loading'
    olderPageState.value = 'idle'
  })
  refreshInbox()
}

const loadPreferences = async () => {
  const socket = notificationsSocket.peek()
  if (!socket) return
  const result = await request(socket, 'notification:preferences', {})
  if (result.ok) preferences.value = result.data
}

/** Sets what a room notifies (null: its default) and/or mutes it until a time (null: unmuted). */
export const setRoomNotifications = async (roomId: string, change: { level?: RoomLevel | null, mutedUntil?: number | null }) => {
  const socket = notificationsSocket.peek()
  if (!socket) return false
  const result = await request(socket, 'notification:set-room', { roomId, ...change })
  if (!result.ok) return false
  const current = preferences.peek()
  if (current) {
    const others = current.rooms.filter((room) => room.roomId !== roomId)
    const unset = result.data.level === null && result.data.mutedUntil === null
    preferences.value = { ...current, rooms: unset ? others : [...others, result.data] }
  }
  return true
}

/** Changes do not disturb or the desktop kinds (fields left out stay). */
export const setNotificationSettings = async (change: Partial<NotificationSettings>) => {
  const socket = notificationsSocket.peek()
  if (!socket) return false
  const result = await request(socket, 'notification:set-settings', change)
  if (!result.ok) return false
  const current = preferences.peek()
  if (current) preferences.value = { ...current, settings: result.data }
  return true
}

const onChanged = ({ ids, change }: { ids: string[], change: 'unread' | 'done' | 'undone' }) => {
  // The unread count comes in its own push; this keeps the held items in step.
  if (change === 'unread') inbox.value = withUnread(inbox.peek(), ids)
  else if (change === 'done') inbox.value = withoutIds(inbox.peek(), ids)
  else refreshInbox()
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

const onNew = ({ notification, quiet = false }: { notification: Notification, quiet?: boolean }) => {
  const known = inbox.peek().items.some((item) => item.id === notification.id)
  batch(() => {
    if (matchesFilter(notification, inboxFilter.peek())) inbox.value = withNew(inbox.peek(), notification)
    // The server's count follows in a moment; counting now keeps the badge in step with the toast.
    if (!known && notification.readAt === null) unreadCount.value = unreadCount.peek() + 1
  })
  if (!known) for (const listener of newListeners) listener(notification, { quiet })
}

/** What happened since `since` ("while you were away"), asked once the socket is connected. */
export const requestAwaySummary = async (since: number): Promise<AckResult<AwaySummary>> => {
  const socket = notificationsSocket()
  if (!socket.connected) await new Promise<void>((resolve) => { socket.once('connect', () => resolve()) })
  return request(socket, 'away:summary', { since })
}

/**
 * The `/notifications` socket, owned by this module: created once (up front, so it opens with
 * the session), it keeps the unread count and the inbox in step and re-syncs after every
 * reconnect. Views read the signals above and call the functions; none touches the socket.
 */
export const notificationsSocket = lazySocket<typeof notificationPushes, typeof notificationCommands>(Namespaces.notifications, (socket) => {
  socket.on('connect', () => { expectingConnectCount = true })
  socket.on('notification:unread', onUnread)
  socket.on('notification:new', onNew)
  socket.on('notification:changed', onChanged)
  socket.on('notification:preferences', (next) => { preferences.value = next })
  whenConnected(socket, () => {
    refreshInbox()
    loadPreferences()
  })
  // Another user (or nobody) signed in: nothing of the previous inbox may show.
  onUserChange(currentUser, reset)
})
