import { useEffect, useId, useRef, useState } from 'preact/hooks'
import type { Notification } from '../../../shared/notifications.ts'
import { BellIcon, CheckAllIcon, ExternalLinkIcon } from '../ui/icons.tsx'
import { classifyLink } from './classify-link.ts'
import { KindIcon, kindLabels } from './kind-icon.tsx'
import { NotificationLink } from './notification-link.tsx'
import { firstPageState, inbox, inboxLoaded, loadMore, markAllRead, olderPageState, refreshInbox, unreadCount } from './notifications-socket.ts'
import { formatFullTime, formatRelativeTime } from './relative-time.ts'

// Relative times ("5 min ago") are redrawn this often while the panel is open.
const CLOCK_TICK_MS = 30_000
// Older notifications start loading a little before the end of the list is in view.
const PRELOAD_MARGIN = '0px 0px 160px 0px'

const useNow = () => {
  const [now, setNow] = useState(Date.now)
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), CLOCK_TICK_MS)
    return () => clearInterval(timer)
  }, [])
  return now
}

const NotificationRow = ({ notification, now, onFollow }: { notification: Notification, now: number, onFollow: () => void }) => {
  const unread = notification.readAt === null
  const target = classifyLink(notification.url, window.location.origin)
  return (
    <li class='notif-row'>
      <NotificationLink class='notif-item' notification={notification} onOpen={onFollow}>
        <KindIcon kind={notification.kind} />
        <span class='notif-text'>
          <span class='visually-hidden'>{unread ? 'Unread. ' : ''}{kindLabels[notification.kind]}: </span>
          <span class='notif-title'>{notification.title}</span>
          {notification.body ? <span class='notif-body'>{notification.body}</span> : null}
          <span class='notif-meta'>
            <time dateTime={new Date(notification.createdAt).toISOString()} title={formatFullTime(notification.createdAt)}>
              {formatRelativeTime(notification.createdAt, now)}
            </time>
            {target.kind === 'external'
              ? (
                <span class='notif-host'>
                  <ExternalLinkIcon size={12} />
                  {new URL(target.href).host}
                </span>
                )
              : null}
          </span>
        </span>
        {unread ? <span class='notif-dot' aria-hidden='true' /> : null}
      </NotificationLink>
    </li>
  )
}

const Spinner = () => <span class='spinner notif-spinner' aria-hidden='true' />

/** The list of notifications in the bell's popover, newest first, loading older ones on scroll. */
export const NotificationPanel = ({ id, onFollow }: { id: string, onFollow: () => void }) => {
  const { items, hasMore } = inbox.value
  const unread = unreadCount.value
  const older = olderPageState.value
  const first = firstPageState.value
  const now = useNow()
  const headingId = useId()
  const panelRef = useRef<HTMLDivElement>(null)
  const scrollRef = useRef<HTMLDivElement>(null)
  const sentinelRef = useRef<HTMLLIElement>(null)
  const [sentinelVisible, setSentinelVisible] = useState(false)

  useEffect(() => { panelRef.current?.focus() }, [])

  useEffect(() => {
    const sentinel = sentinelRef.current
    if (!sentinel) return setSentinelVisible(false)
    const observer = new IntersectionObserver(([entry]) => setSentinelVisible(entry?.isIntersecting ?? false), {
      root: scrollRef.current,
      rootMargin: PRELOAD_MARGIN
    })
    observer.observe(sentinel)
    return () => observer.disconnect()
  }, [hasMore, items.length === 0])

  // Also re-checked when a page lands while the end is still in view (a short first page).
  useEffect(() => {
    if (sentinelVisible && hasMore && older === 'idle') loadMore()
  }, [sentinelVisible, hasMore, older, items])

  const nothingUnread = unread === 0
  return (
    <div class='notif-panel' id={id} role='dialog' aria-labelledby={headingId} tabIndex={-1} ref={panelRef}>
      <header class='notif-panel-header'>
        <h2 class='notif-panel-title' id={headingId}>Notifications</h2>
        {unread > 0 ? <span class='notif-panel-count'>{unread} unread</span> : null}
        <button
          type='button'
          class='notif-mark-all'
          aria-disabled={nothingUnread}
          onClick={() => { if (!nothingUnread) markAllRead() }}
        >
          <CheckAllIcon size={16} />
          Mark all read
        </button>
      </header>
      <div class='notif-panel-body' ref={scrollRef}>
        {items.length === 0
          ? !inboxLoaded.value && first === 'loading'
              ? <p class='notif-state' role='status'><Spinner />Loading notifications…</p>
              : first === 'error'
                ? (
                  <div class='notif-state'>
                    <p>Notifications couldn’t be loaded.</p>
                    <button type='button' class='button notif-retry' onClick={() => { refreshInbox() }}>Try again</button>
                  </div>
                  )
                : (
                  <div class='notif-empty'>
                    <span class='notif-empty-icon'><BellIcon size={24} /></span>
                    <p class='notif-empty-title'>You’re all caught up</p>
                    <p class='notif-empty-text'>Mentions, direct messages, invitations and price alerts will show up here.</p>
                  </div>
                  )
          : (
            <ul class='notif-list'>
              {items.map((notification) => (
                <NotificationRow key={notification.id} notification={notification} now={now} onFollow={onFollow} />
              ))}
              {hasMore
                ? (
                  <li class='notif-more' ref={sentinelRef} role={older === 'idle' ? 'presentation' : undefined}>
                    {older === 'loading'
                      ? <span class='notif-state' role='status'><Spinner />Loading older notifications…</span>
                      : older === 'error'
                        ? (
                          <span class='notif-state'>
                            Older notifications couldn’t be loaded.
                            <button type='button' class='notif-link-button' onClick={() => { loadMore() }}>Try again</button>
                          </span>
                          )
                        : null}
                  </li>
                  )
                : null}
            </ul>
            )}
      </div>
    </div>
  )
}
