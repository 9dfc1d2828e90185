import { memo } from 'preact/compat'
import type { JSX } from 'preact'
import { useId, useLayoutEffect, useRef, useState } from 'preact/hooks'
import type { User } from '../../../shared/auth.ts'
import type { Message } from '../../../shared/chat.ts'
import { MESSAGE_MAX_LENGTH } from '../../../shared/chat.ts'
import { AlertIcon, ChatIcon, ClockIcon, MailIcon, MoreIcon, PencilIcon, RetryIcon, TrashIcon } from '../ui/icons.tsx'
import { usePopup } from '../ui/use-popup.ts'
import { PersonButton } from '../people/person-button.tsx'
import { shownName } from '../people/people-store.ts'
import { ChatDialog, focusComposer } from './chat-dialog.tsx'
import { deleteMessage, editMessage } from './message-changes.ts'
import { discardMessage, retryMessage } from './outbox-delivery.ts'
import { markUnread } from './read-markers.ts'
import { describeSendError } from './describe-chat-error.ts'
import { formatDateTime, formatShortTime, formatTime } from './format-time.ts'
import { MessageText } from './message-text.tsx'
import { MessageImage } from './images/message-image.tsx'
import type { OutboxItem } from './outbox.ts'
import { ReactionBar } from './reaction-bar.tsx'
import { measureMessage } from './room-rules.ts'
import { UserAvatar } from './user-avatar.tsx'
import { editingMessageId, editingReplyId } from './view-state.ts'
import { describeReplies, showThread } from './threads.ts'

/**
 * Where a message is shown: the room's list, or the thread panel (no thread link or thread and
 * unread actions there, its own edit state, popups kept inside the panel's scroller).
 */
export type MessagePlace = 'room' | 'thread'

const places = {
  room: { scroller: '.message-scroller', editing: editingMessageId, field: '.composer-input' },
  thread: { scroller: '.thread-scroller', editing: editingReplyId, field: '.thread-composer .composer-input' }
} as const

export type ListEntry =
  | { kind: 'message', key: string, authorId: string, createdAt: number, message: Message }
  | { kind: 'pending', key: string, authorId: string, createdAt: number, item: OutboxItem }

interface MessageItemProps {
  entry: ListEntry
  startsGroup: boolean
  me: User
  /** The browser and socket are connected (a queued message is "sending", not "waiting"). */
  live: boolean
  highlighted: boolean
  /** This message holds the list's one Tab stop (its own controls are tabbable too); the others are reached with the arrows. */
  tabStop: boolean
  place?: MessagePlace
}

/** The tabindex of a control inside a message: in the Tab order only in the message that holds the stop. */
const controlTabIndex = (tabStop: boolean) => tabStop ? undefined : -1

const autoSize = (area: HTMLTextAreaElement | null) => {
  if (!area) return
  area.style.height = 'auto'
  area.style.height = `${area.scrollHeight}px`
}

/** Inline editing: Enter saves, Shift+Enter is a new line, Escape cancels. */
const EditBox = ({ message, onDone }: { message: Message, onDone: () => void }) => {
  const [text, setText] = useState(message.text)
  const [busy, setBusy] = useState(false)
  const ref = useRef<HTMLTextAreaElement>(null)
  const hintId = useId()
  const measured = measureMessage(text)

  // Before anything else can type into it: the caret goes to the end once, on opening.
  useLayoutEffect(() => {
    const area = ref.current
    if (!area) return
    area.focus()
    area.setSelectionRange(area.value.length, area.value.length)
    autoSize(area)
  }, [])

  const save = async () => {
    if (busy) return
    if (measured.text === message.text || measured.length === 0) return onDone()
    if (!measured.canSend) return
    setBusy(true)
    const error = await editMessage(message, measured.text)
    setBusy(false)
    if (!error) onDone()
  }

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault()
      event.stopPropagation()
      onDone()
    } else if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault()
      save()
    }
  }

  return (
    <div class='edit-box'>
      <label class='visually-hidden' for={`${hintId}-area`}>Edit message</label>
      <textarea
        id={`${hintId}-area`}
        ref={ref}
        class='edit-area'
        value={text}
        rows={1}
        maxLength={MESSAGE_MAX_LENGTH * 2}
        aria-describedby={hintId}
        onInput={(event) => { setText(event.currentTarget.value); autoSize(event.currentTarget) }}
        onKeyDown={onKeyDown}
      />
      <div class='edit-actions'>
        <span class='edit-hint' id={hintId}>
          {measured.showCounter ? `${measured.remaining} characters left · ` : ''}Escape to cancel · Enter to save
        </span>
        <button type='button' class='button small' onClick={onDone}>Cancel</button>
        <button type='button' class='button small primary' aria-disabled={busy || !measured.canSend} onClick={() => { save() }}>Save</button>
      </div>
    </div>
  )
}

const MenuItem = ({ icon, label, danger = false, onSelect }: { icon: JSX.Element, label: string, danger?: boolean, onSelect: () => void }) => (
  <button type='button' role='menuitem' class={danger ? 'menu-item danger' : 'menu-item'} onClick={onSelect}>
    {icon}
    {label}
  </button>
)

/**
 * The ⋯ button of a message: its thread and Mark unread from here (in the room); on one's own also
 * Edit and Delete; reachable by keyboard.
 */
const MessageMenu = ({ message, own, tabStop, place }: { message: Message, own: boolean, tabStop: boolean, place: MessagePlace }) => {
  // Near the bottom of the list the menu opens upwards, so the list's edge never cuts it.
  const { open, setOpen, buttonRef, rootProps, buttonProps, popupProps } = usePopup({ items: '[role="menuitem"]', orientation: 'vertical', within: places[place].scroller })
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState(false)

  const onDelete = async () => {
    if (busy) return
    setBusy(true)
    const error = await deleteMessage(message)
    setBusy(false)
    if (!error) setConfirming(false)
  }

  return (
    <div class='message-menu' {...rootProps}>
      <button {...buttonProps} type='button' class='chat-icon-button small message-menu-button' tabIndex={controlTabIndex(tabStop)} aria-label='Message actions' aria-haspopup='menu'>
        <MoreIcon size={18} />
      </button>
      {open
        ? (
          <div {...popupProps} class='menu message-menu-list' role='menu' aria-label='Message actions'>
            {place === 'room'
              ? (
                <>
                  <MenuItem icon={<ChatIcon size={16} />} label={message.threadRootId ? 'Open thread' : 'Reply in thread'} onSelect={() => { setOpen(false); showThread(message) }} />
                  <MenuItem icon={<MailIcon size={16} />} label='Mark unread from here' onSelect={() => { setOpen(false); markUnread(message) }} />
                </>
                )
              : null}
            {own
              ? (
                <>
                  <MenuItem icon={<PencilIcon size={16} />} label='Edit' onSelect={() => { setOpen(false); places[place].editing.value = message.id }} />
                  <MenuItem icon={<TrashIcon size={16} />} label='Delete' danger onSelect={() => { setOpen(false); setConfirming(true) }} />
                </>
                )
              : null}
          </div>
          )
        : null}
      {confirming
        ? (
          <ChatDialog title='Delete this message?' size='s' onClose={() => setConfirming(false)} returnFocusTo={() => buttonRef.current}>
            <blockquote class='delete-preview'>{message.text}</blockquote>
            <p class='chat-dialog-note'>Everyone in the {message.threadRootId !== undefined && message.alsoInRoom !== true ? 'thread' : 'room'} will see “message deleted” instead. This can’t be undone.</p>
            <div class='chat-form-actions'>
              <button type='button' class='button' data-autofocus onClick={() => setConfirming(false)}>Cancel</button>
              <button type='button' class='button danger' aria-disabled={busy} onClick={() => { onDelete() }}>
                {busy ? 'Deleting…' : 'Delete'}
              </button>
            </div>
          </ChatDialog>
          )
        : null}
    </div>
  )
}

const PendingStatus = ({ item, live, tabStop }: { item: OutboxItem, live: boolean, tabStop: boolean }) => {
  if (item.state === 'failed') {
    return (
      <div class='message-status' data-state='failed' role='alert'>
        <AlertIcon size={14} />
        <span>Not sent. {item.error ? describeSendError(item.error) : ''}</span>
        <button type='button' class='chat-link-button' tabIndex={controlTabIndex(tabStop)} onClick={() => retryMessage(item.clientId)}>
          <RetryIcon size={14} />
          Retry
        </button>
        <button type='button' class='chat-link-button muted' tabIndex={controlTabIndex(tabStop)} onClick={() => discardMessage(item.clientId)}>Discard</button>
      </div>
    )
  }
  return (
    <div class='message-status' data-state='pending'>
      <ClockIcon size={14} />
      <span>{live ? 'Sending…' : 'Waiting for connection…'}</span>
    </div>
  )
}

/** Under a thread's root: its reply count and last reply time; under a reply sent to the room too: its thread. */
const ThreadLink = ({ message, tabStop }: { message: Message, tabStop: boolean }) => {
  if (message.replyCount !== undefined) {
    return (
      <button type='button' class='thread-summary' tabIndex={controlTabIndex(tabStop)} onClick={() => showThread(message)}>
        <ChatIcon size={14} />
        <span class='thread-summary-count'>{describeReplies(message.replyCount)}</span>
        {message.lastReplyAt !== undefined
          ? <span class='thread-summary-last'>Last reply <time dateTime={new Date(message.lastReplyAt).toISOString()} title={formatDateTime(message.lastReplyAt)}>{formatTime(message.lastReplyAt)}</time></span>
          : null}
      </button>
    )
  }
  if (message.threadRootId !== undefined) {
    return (
      <button type='button' class='thread-summary' tabIndex={controlTabIndex(tabStop)} onClick={() => showThread(message)}>
        <ChatIcon size={14} />
        <span>Replied in a thread</span>
      </button>
    )
  }
  return null
}

/** One message: header on the first of a group, text with links, edited/deleted marks, its actions. */
const MessageItemView = ({ entry, startsGroup, me, live, highlighted, tabStop, place = 'room' }: MessageItemProps) => {
  const message = entry.kind === 'message' ? entry.message : null
  const author = message ? message.author : me
  const own = author.id === me.id
  const { scroller, editing: editingId, field } = places[place]
  const editing = message !== null && editingId.value === message.id
  const text = message ? message.text : entry.kind === 'pending' ? entry.item.text : ''
  const deleted = message?.deleted ?? false
  const time = formatTime(entry.createdAt)
  const fullTime = formatDateTime(entry.createdAt)
  // A message has one time, the server's: one still in the outbox has none yet (the writing
  // time would show to its sender only, and differ from what everyone else sees).
  const timeOf = (kind: 'gutter' | 'meta') => message === null
    ? null
    : kind === 'gutter'
      ? <time class='message-gutter-time' dateTime={new Date(entry.createdAt).toISOString()} title={fullTime}>{formatShortTime(entry.createdAt)}</time>
      : <time class='message-time' dateTime={new Date(entry.createdAt).toISOString()} title={fullTime}>{time}</time>
  const state = entry.kind === 'pending' ? (entry.item.state === 'failed' ? 'failed' : 'pending') : undefined

  return (
    <article
      class='message'
      tabIndex={tabStop ? 0 : -1}
      data-own={own ? '' : undefined}
      data-group-start={startsGroup ? '' : undefined}
      data-state={state}
      data-deleted={deleted ? '' : undefined}
      data-editing={editing ? '' : undefined}
      data-highlight={highlighted ? '' : undefined}
      data-seq={message?.seq}
    >
      <div class='message-gutter'>
        {startsGroup
          ? (
            // The name beside it is the keyboard's way to the same card.
            <PersonButton user={author} meId={me.id} tabIndex={-1} within={scroller}>
              <UserAvatar user={author} />
            </PersonButton>
            )
          : timeOf('gutter')}
      </div>
      <div class='message-body'>
        {startsGroup
          ? (
            <header class='message-meta'>
              <PersonButton user={author} meId={me.id} tabIndex={controlTabIndex(tabStop)} within={scroller}>
                <span class='message-author person-name'>{shownName(author)}</span>
              </PersonButton>
              {own ? <span class='you-tag'>you</span> : null}
              {timeOf('meta')}
            </header>
            )
          : <span class='visually-hidden'>{shownName(author)}{message ? `, ${time}` : ''}:</span>}
        {editing && message
          ? (
            <EditBox
              message={message}
              onDone={() => {
                if (editingId.peek() === message.id) editingId.value = null
                if (place === 'room') focusComposer()
                else document.querySelector<HTMLElement>(field)?.focus()
              }}
            />
            )
          : deleted
            ? <p class='message-text message-deleted'>message deleted</p>
            : (
              <>
                {text !== ''
                  ? (
                    <div class='message-text'>
                      <MessageText text={text} myName={me.username} linkTabIndex={controlTabIndex(tabStop)} />
                      {message?.editedAt ? <span class='message-edited' title={`Edited ${formatDateTime(message.editedAt)}`}>(edited)</span> : null}
                    </div>
                    )
                  : null}
                {place === 'thread' && (message ? message.alsoInRoom : entry.kind === 'pending' && entry.item.alsoInRoom) ? <p class='thread-also-sent'>Also sent to the room</p> : null}
                {message?.image ? <MessageImage image={message.image} author={author.username} tabIndex={controlTabIndex(tabStop)} /> : null}
                {entry.kind === 'pending' && entry.item.imageId !== undefined ? <p class='message-image-pending'>Image</p> : null}
              </>
              )}
        {message && !deleted && !editing ? <ReactionBar message={message} me={me} tabStop={tabStop} within={scroller} /> : null}
        {message && place === 'room' ? <ThreadLink message={message} tabStop={tabStop} /> : null}
        {entry.kind === 'pending' ? <PendingStatus item={entry.item} live={live} tabStop={tabStop} /> : null}
      </div>
      {message && !deleted && !editing && (own || place === 'room') ? <MessageMenu message={message} own={own} tabStop={tabStop} place={place} /> : null}
    </article>
  )
}

const sameEntry = (a: ListEntry, b: ListEntry) =>
  a.kind === 'message' ? b.kind === 'message' && a.message === b.message : b.kind === 'pending' && a.item === b.item

/**
 * Messages are immutable objects (a change is a new object), so a message re-renders only when it
 * or its place in a group changed: a new message in a long room renders one row, not all of them.
 */
export const MessageItem = memo(MessageItemView, (prev, next) =>
  sameEntry(prev.entry, next.entry) && prev.startsGroup === next.startsGroup && prev.me === next.me &&
  prev.live === next.live && prev.highlighted === next.highlighted && prev.tabStop === next.tabStop && prev.place === next.place)
