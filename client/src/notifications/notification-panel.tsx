import { useEffect, useId, useRef, useState } from 'preact/hooks'
import { isQuiet, type InboxFilter, type Notification } from '../../../shared/notifications.ts'
import { BellIcon, BellOffIcon, CheckAllIcon, ChevronDownIcon, ExternalLinkIcon, MailIcon, CloseIcon } from '../ui/icons.tsx'
import { classifyLink } from './classify-link.ts'
import { burstTitle, groupBursts, type InboxEntry } from './group-bursts.ts'
import { KindIcon, kindLabels } from './kind-icon.tsx'
import { NotificationLink } from './notification-link.tsx'
import { NotificationSettingsView } from './notification-settings.tsx'
import {
  firstPageState, inbox, inboxFilter, inboxLoaded, lastDone, loadMore, markAllRead, markDone, markRead, markUnread, olderPageState, preferences,
  refreshInbox, setInboxFilter, undoDone, unreadCount
} from './notifications-socket.ts'
import { formatFullTime, formatRelativeTime } from './relative-time.ts'
import { TOAST_MS } from './toasts.ts'

const FILTERS: [InboxFilter | undefined, string][] = [
  [undefined, 'All'], ['unread', 'Unread'], ['mentions', 'Mentions'], ['dms', 'DMs'], ['alerts', 'Alerts'], ['services', 'Services']
]

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

/** Read or unread, and done: on hover or focus (always on touch screens). */
const RowActions = ({ items }: { items: readonly Notification[] }) => {
  const unread = items.some((item) => item.readAt === null)
  const ids = items.map((item) => item.id)
  return (
    <span class='notif-actions'>
      {items.length === 1 || unread
        ? (
          <button
            type='button'
            class='notif-action'
            aria-label={unread ? 'Mark read' : 'Mark unread'}
            title={unread ? 'Mark read' : 'Mark unread'}
            onClick={() => { if (unread) markRead(ids); else markUnread(ids[0]!) }}
          >
            {unread ? <CheckAllIcon size={16} /> : <MailIcon size={16} />}
          </button>
          )
        : null}
      <button type='button' class='notif-action' aria-label='Done' title='Done (archive)' onClick={() => { markDone(ids) }}>
        <CloseIcon size={16} />
      </button>
    </span>
  )
}

const BurstEntry = ({ items, now, onFollow }: { items: readonly Notification[], now: number, onFollow: () => void }) => {
  const [open, setOpen] = useState(false)
  const listId = useId()
  const unread = items.some((item) => item.readAt === null)
  const newest = items[0]!
  return (
    <li class='notif-row notif-burst' data-unread={unread ? '' : undefined}>
      <button type='button' class='notif-item notif-burst-toggle' aria-expanded={open} aria-controls={listId} onClick={() => setOpen(!open)}>
        <KindIcon kind={newest.kind} />
        <span class='notif-text'>
          <span class='visually-hidden'>{unread ? 'Unread. ' : ''}</span>
          <span class='notif-title'>{burstTitle(items)}</span>
          <span class='notif-body'>{newest.body}</span>
          <span class='notif-meta'>
            <time dateTime={new Date(newest.createdAt).toISOString()} title={formatFullTime(newest.createdAt)}>
              {formatRelativeTime(newest.createdAt, now)}
            </time>
          </span>
        </span>
        <span class='notif-burst-chevron' aria-hidden='true'><ChevronDownIcon size={16} /></span>
        {unread ? <span class='notif-dot' aria-hidden='true' /> : null}
      </button>
      <RowActions items={items} />
      {open
        ? (
          <ul class='notif-list notif-burst-list' id={listId}>
            {items.map((notification) => <NotificationRow key={notification.id} notification={notification} now={now} onFollow={onFollow} />)}
          </ul>
          )
        : null}
    </li>
  )
}

const Entry = ({ entry, now, onFollow }: { entry: InboxEntry, now: number, onFollow: () => void }) => entry.type === 'burst'
  ? <BurstEntry items={entry.items} now={now} onFollow={onFollow} />
  : <NotificationRow notification={entry.notification} now={now} onFollow={onFollow} />

/** "Marked done · Undo", for a while after each done. */
const UndoBar = () => {
  const done = lastDone.value
  useEffect(() => {
    if (done.length === 0) return
    const timer = setTimeout(() => { lastDone.value = [] }, TOAST_MS)
    return () => clearTimeout(timer)
  }, [done])
  return (
    <div class='notif-undo' role='status'>
      {done.length > 0
        ? (
          <>
            <span>{done.length === 1 ? 'Marked done' : `${done.length} marked done`}</span>
            <button type='button' class='notif-link-button' onClick={() => { undoDone() }}>Undo</button>
          </>
          )
        : null}
    </div>
  )
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
      <RowActions items={[notification]} />
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
  const filter = inboxFilter.value
  const [settingsOpen, setSettingsOpen] = useState(false)
  const settings = preferences.value?.settings
  const quiet = settings ? isQuiet(settings, now) : false
  return (
    <div class='notif-panel' id={id} role='dialog' aria-labelledby={headingId} tabIndex={-1} ref={panelRef}>
      <header class='notif-panel-header'>
        <h2 class='notif-panel-title' id={headingId}>Notifications</h2>
        {unread > 0 ? <span class='notif-panel-count'>{unread} unread</span> : null}
        <button
          type='button'
          class='notif-settings-button'
          aria-expanded={settingsOpen}
          aria-label={quiet ? 'Notification settings (do not disturb is on)' : 'Notification settings'}
          title='Notification settings'
          data-quiet={quiet ? '' : undefined}
          onClick={() => setSettingsOpen(!settingsOpen)}
        >
          {quiet ? <BellOffIcon size={16} /> : <BellIcon size={16} />}
        </button>
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
      {settingsOpen ? <NotificationSettingsView /> : null}
      <div class='notif-filters' role='group' aria-label='Show'>
        {FILTERS.map(([value, label]) => (
          <button key={label} type='button' class='notif-filter' aria-pressed={filter === value} onClick={() => setInboxFilter(value)}>{label}</button>
        ))}
      </div>
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
                    <p class='notif-empty-title'>{filter ? 'Nothing here' : 'You’re all caught up'}</p>
                    <p class='notif-empty-text'>{filter ? 'No notifications match this filter.' : 'Mentions, direct messages, invitations and price alerts will show up here.'}</p>
                  </div>
                  )
          : (
            <ul class='notif-list'>
              {groupBursts(items).map((entry) => (
                <Entry key={entry.type === 'burst' ? entry.id : entry.notification.id} entry={entry} now={now} onFollow={onFollow} />
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
      <UndoBar />
    </div>
  )
}
