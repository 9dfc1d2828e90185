import type { Notification } from '../../../shared/notifications.ts'

/** The part of the user's notifications this tab has loaded: newest first, each id once. */
export interface Inbox {
  items: readonly Notification[]
  /** Older notifications exist on the server beyond the last loaded item. */
  hasMore: boolean
}

/** A page as `notification:list` answers it (newest first). */
export interface InboxPage {
  notifications: readonly Notification[]
  hasMore: boolean
}

export const emptyInbox: Inbox = { items: [], hasMore: false }

/**
 * Newest first. The server orders by insertion, which `createdAt` follows; equal times keep the
 * order they came in (Array#sort is stable), so a page's own order wins among its items.
 */
const newestFirst = (items: Notification[]) => items.sort((a, b) => b.createdAt - a.createdAt)

/** `base` with `incoming` merged in by id: an incoming copy replaces the held one (fresher read state). */
const mergeById = (base: readonly Notification[], incoming: readonly Notification[]) => {
  const fresh = new Map(incoming.map((item) => [item.id, item]))
  const kept = base.filter((item) => !fresh.has(item.id))
  return newestFirst([...fresh.values(), ...kept])
}

/**
 * Applies a fresh first page (after a reconnect, or when another tab changed the read state).
 * The page is the truth for its own range. Held items newer than the page arrived by push while
 * it was on its way and stay. Held older items stay only if the page joins up with them (its
 * oldest item is one we hold); otherwise more arrived than a page while we were away, and the
 * older items are dropped to avoid a silent gap: scrolling loads them again.
 */
export const withFirstPage = (inbox: Inbox, page: InboxPage): Inbox => {
  const pageIds = new Set(page.notifications.map((item) => item.id))
  const newest = page.notifications[0]
  const oldest = page.notifications.at(-1)
  const joinsUp = oldest !== undefined && inbox.items.some((item) => item.id === oldest.id)
  const keepOlder = page.hasMore && joinsUp
  const kept = inbox.items.filter((item) => {
    if (pageIds.has(item.id)) return false
    if (newest === undefined || item.createdAt >= newest.createdAt) return true
    return keepOlder && oldest !== undefined && item.createdAt <= oldest.createdAt
  })
  return {
    items: mergeById(kept, page.notifications),
    hasMore: keepOlder ? inbox.hasMore : page.hasMore
  }
}

/** Appends the page loaded with `before: <oldest id>`. */
export const withOlderPage = (inbox: Inbox, page: InboxPage): Inbox => ({
  items: mergeById(inbox.items, page.notifications),
  hasMore: page.hasMore
})

/** A pushed `notification:new`; a copy we already hold is replaced, never duplicated. */
export const withNew = (inbox: Inbox, notification: Notification): Inbox => ({
  items: mergeById(inbox.items, [notification]),
  hasMore: inbox.hasMore
})

/** Marks some (or all) held items read at `readAt`; items already read keep their time. */
export const withRead = (inbox: Inbox, which: readonly string[] | 'all', readAt: number): Inbox => {
  const ids = which === 'all' ? null : new Set(which)
  let changed = false
  const items = inbox.items.map((item) => {
    if (item.readAt !== null || (ids && !ids.has(item.id))) return item
    changed = true
    return { ...item, readAt }
  })
  return changed ? { ...inbox, items } : inbox
}

/** Marks held items unread again. */
export const withUnread = (inbox: Inbox, ids: readonly string[]): Inbox => {
  const unread = new Set(ids)
  if (!inbox.items.some((item) => unread.has(item.id) && item.readAt !== null)) return inbox
  return { ...inbox, items: inbox.items.map((item) => unread.has(item.id) ? { ...item, readAt: null } : item) }
}

/** Takes held items out (done). */
export const withoutIds = (inbox: Inbox, ids: readonly string[]): Inbox => {
  const gone = new Set(ids)
  return inbox.items.some((item) => gone.has(item.id)) ? { ...inbox, items: inbox.items.filter((item) => !gone.has(item.id)) } : inbox
}

/** How many held items are unread (a lower bound of the server's count). */
export const unreadHeld = (inbox: Inbox) => inbox.items.reduce((n, item) => item.readAt === null ? n + 1 : n, 0)

/** The id to page back from. */
export const oldestId = (inbox: Inbox) => inbox.items.at(-1)?.id
