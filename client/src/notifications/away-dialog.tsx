import type { ComponentChildren } from 'preact'
import { useRef } from 'preact/hooks'
import type { User } from '../../../shared/auth.ts'
import type { AwayRoom, AwaySummary, Notification } from '../../../shared/notifications.ts'
import { ChatDialog } from '../chat/chat-dialog.tsx'
import { describeAlert } from '../ticker/alerts-page.tsx'
import { marketFormats as fmt } from '../ticker/format.ts'
import { Link } from '../ui/link.tsx'
import { paths } from '../ui/router.ts'
import { awayFor, awaySummary, dismissAwaySummary } from './away-summary.ts'
import { KindIcon } from './kind-icon.tsx'
import { NotificationLink } from './notification-link.tsx'
import { formatFullTime, formatRelativeTime } from './relative-time.ts'
import './notifications.css'

/** "12 minutes", "3 hours", "2 days": how long the user was away. */
export const awayDuration = (ms: number) => {
  const minutes = Math.max(1, Math.round(ms / 60_000))
  if (minutes < 90) return `${minutes} minute${minutes === 1 ? '' : 's'}`
  const hours = Math.round(minutes / 60)
  if (hours < 36) return `${hours} hours`
  return `${Math.round(hours / 24)} days`
}

/** A direct room by the other person's name, any other room by its own. */
const roomLabel = (room: Pick<AwayRoom, 'name' | 'visibility'>, me: User) =>
  room.visibility === 'direct'
    ? `@${room.name.split(',').find((name) => name.toLowerCase() !== me.username.toLowerCase()) ?? room.name}`
    : `#${room.name}`

const Section = ({ title, count, children }: { title: string, count: number, children: ComponentChildren }) =>
  count === 0
    ? null
    : (
      <section class='away-section' aria-label={title}>
        <h3 class='away-section-title'>{title} <span class='away-count'>{count}</span></h3>
        <ul class='away-list'>{children}</ul>
      </section>
      )

const NotificationItem = ({ notification, now }: { notification: Notification, now: number }) => (
  <li>
    <NotificationLink notification={notification} class='away-item' onOpen={dismissAwaySummary}>
      <KindIcon kind={notification.kind} />
      <span class='away-item-main'>
        <span class='away-item-title'>{notification.title}</span>
        {notification.body ? <span class='away-item-text'>{notification.body}</span> : null}
      </span>
      <time class='away-item-meta' dateTime={new Date(notification.createdAt).toISOString()} title={formatFullTime(notification.createdAt)}>
        {formatRelativeTime(notification.createdAt, now)}
      </time>
    </NotificationLink>
  </li>
)

const SummaryBody = ({ summary, me }: { summary: AwaySummary, me: User }) => {
  const now = summary.until
  const open = dismissAwaySummary
  return (
    <div class='away-body'>
      <Section title='Unread rooms' count={summary.rooms.length}>
        {summary.rooms.map((room) => (
          <li key={room.roomId}>
            <Link class='away-item' href={`${paths.room(room.roomId)}?seq=${room.firstUnreadSeq}`} onClickCapture={open} data-room-id={room.roomId}>
              <span class='away-item-main'>
                <span class='away-item-title'>{roomLabel(room, me)} <span class='notif-panel-count away-badge'>{room.unread} unread</span></span>
                {room.first
                  ? <span class='away-item-text'><strong>{room.first.author}</strong>: {room.first.text}</span>
                  : null}
              </span>
              {room.first
                ? <time class='away-item-meta' title={formatFullTime(room.first.createdAt)}>{formatRelativeTime(room.first.createdAt, now)}</time>
                : null}
            </Link>
          </li>
        ))}
      </Section>
      <Section title='Mentions and direct messages' count={summary.mentions.length}>
        {summary.mentions.map((notification) => <NotificationItem key={notification.id} notification={notification} now={now} />)}
      </Section>
      <Section title='Thread replies' count={summary.threads.length}>
        {summary.threads.map((notification) => <NotificationItem key={notification.id} notification={notification} now={now} />)}
      </Section>
      <Section title='Alerts that fired' count={summary.alerts.length}>
        {summary.alerts.map((alert) => (
          <li key={alert.id}>
            <Link class='away-item' href={paths.symbol(alert.symbol)} onClickCapture={open}>
              <span class='away-item-main'>
                <span class='away-item-title'><span class='away-symbol'>{alert.symbol}</span> {describeAlert(alert)}</span>
                {alert.firedPrice != null ? <span class='away-item-text'>Fired at {fmt.price(alert.firedPrice)}</span> : null}
              </span>
              {alert.firedAt != null ? <time class='away-item-meta' title={formatFullTime(alert.firedAt)}>{formatRelativeTime(alert.firedAt, now)}</time> : null}
            </Link>
          </li>
        ))}
      </Section>
      <Section title='Your watchlist’s biggest moves' count={summary.movers.length}>
        {summary.movers.map((mover) => (
          <li key={mover.symbol}>
            <Link class='away-item' href={paths.symbol(mover.symbol)} onClickCapture={open}>
              <span class='away-item-main'>
                <span class='away-item-title'><span class='away-symbol'>{mover.symbol}</span> <span class='away-name'>{mover.name}</span></span>
                <span class='away-item-text'>{fmt.price(mover.from)} → {fmt.price(mover.to)}</span>
              </span>
              <span class='away-move' data-direction={mover.changePct > 0 ? 'up' : mover.changePct < 0 ? 'down' : 'flat'}>
                {fmt.changePct(mover.changePct)}
              </span>
            </Link>
          </li>
        ))}
      </Section>
    </div>
  )
}

/** The summary's items that come from notifications (what a live refresh adds to). */
const notifiedCount = (summary: AwaySummary) => summary.mentions.length + summary.threads.length + summary.alerts.length

/**
 * "While you were away": shown once on coming back, and kept up to date while open (what is
 * notified meanwhile joins it); any item goes there, Escape or the button dismisses it.
 */
export const AwayDialog = ({ user }: { user: User }) => {
  const summary = awaySummary.value
  // What was notified since it opened is told to screen readers too (the count when it opened is kept until it closes).
  const atOpen = useRef<number | null>(null)
  if (summary === null) {
    atOpen.current = null
    return null
  }
  atOpen.current ??= notifiedCount(summary)
  const added = notifiedCount(summary) - atOpen.current
  return (
    // The chat's styles are scoped under .chat; this box lends them to the dialog and draws nothing.
    <div class='chat away-layer'>
      <ChatDialog
        title='While you were away'
        description={`You were away for ${awayDuration(awayFor.value)}. Here is what happened.`}
        onClose={dismissAwaySummary}
        size='l'
      >
        <SummaryBody summary={summary} me={user} />
        <p class='visually-hidden' role='status'>{added > 0 ? `${added} new since this opened` : ''}</p>
        <div class='chat-form-actions'>
          <button type='button' class='button primary' data-autofocus onClick={dismissAwaySummary}>Dismiss</button>
        </div>
      </ChatDialog>
    </div>
  )
}
