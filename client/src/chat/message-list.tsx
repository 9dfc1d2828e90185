import { useComputed } from '@preact/signals'
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks'
import type { Room } from '../../../shared/chat.ts'
import { ArrowDownIcon, ArrowUpIcon, HashIcon, LockIcon } from '../ui/icons.tsx'
import { chatUser, outbox, roomState, type RoomState } from './chat-store.ts'
import { loadOlder, revealMessage } from './room-history.ts'
import { markRead } from './read-markers.ts'
import { formatDay } from './format-time.ts'
import { groupMessages } from './group-messages.ts'
import { useRovingList } from './use-roving-list.ts'
import { MessageItem, type ListEntry } from './message-item.tsx'
import { roomReference, shownRoomName } from './room-names.ts'
import { inTimeline, newestSeq } from './timeline.ts'
import { pendingInRoom } from './outbox.ts'
import { placeUnreadLine } from './unread-line.ts'
import { UserAvatar } from './user-avatar.tsx'

interface MessageListProps {
  room: Room | null
  state: RoomState
  live: boolean
  /** A message to bring into view (`?seq=`). */
  focusSeq: number | undefined
}

/** Within this many pixels of the end counts as "at the newest message". */
const BOTTOM_SLACK_PX = 48
/** Older history starts loading this far before the top is reached, so scrolling does not stall. */
const PRELOAD_PX = 600

const isVisible = () => document.visibilityState === 'visible'

/**
 * The first message in view and where it sits, to put it back in the same place after rows are
 * added above (older history, a day separator). Separators are no anchor: one day's separator
 * moves up when older messages of that day arrive.
 */
const captureAnchor = (scroller: HTMLElement) => {
  const top = scroller.getBoundingClientRect().top
  for (const row of scroller.querySelectorAll<HTMLElement>('[data-anchor]')) {
    if (row.getBoundingClientRect().bottom > top) return { key: row.dataset.anchor ?? '', offset: anchorTop(row) - top }
  }
  return null
}

// The text itself: a message that loses its header (older ones by the same author arrived
// above it) keeps its words where the reader's eyes are.
const anchorTop = (row: HTMLElement) => (row.querySelector('.message-text, .edit-box') ?? row).getBoundingClientRect().top

const RoomIntro = ({ room }: { room: Room | null }) => {
  if (!room) return null
  if (room.visibility === 'direct') {
    // The other person's own avatar once the members are known.
    const partner = roomState(room.id).members.value?.find((member) => member.id !== chatUser.value?.id)
    return (
      <div class='room-intro'>
        <UserAvatar user={partner ?? { id: room.id, username: room.name }} />
        <p class='room-intro-title'>{shownRoomName(room)}</p>
        <p class='room-intro-text'>This is the beginning of your direct conversation with {shownRoomName(room)}. Only the two of you can see it.</p>
      </div>
    )
  }
  return (
    <div class='room-intro'>
      <span class='room-intro-icon' aria-hidden='true'>{room.visibility === 'private' ? <LockIcon size={22} /> : <HashIcon size={22} />}</span>
      <p class='room-intro-title'>Welcome to {room.visibility === 'private' ? '' : '#'}{room.name}</p>
      <p class='room-intro-text'>
        This is the very beginning of the room{room.topic ? `: ${room.topic}` : '.'}
        {room.visibility === 'private' ? ' It is private: only members can read it.' : ''}
      </p>
    </div>
  )
}

/** Room above the "New" line when the list opens there or jumps to it. */
const LINE_MARGIN_PX = 8

/**
 * The conversation: day separators and grouped messages, older history loaded while scrolling
 * up (the view stays put), new messages followed while at the bottom, otherwise announced by a
 * "New messages" pill. A room entered with unread messages opens at a "New" line above the first
 * of them (history is loaded back to it), with "Jump to first unread" while the line is out of
 * view. The room is marked read while its newest message is on a visible screen.
 */
export const MessageList = ({ room, state, live, focusSeq }: MessageListProps) => {
  const me = chatUser.value
  const scrollerRef = useRef<HTMLDivElement>(null)
  const atBottom = useRef(true)
  const anchor = useRef<{ key: string, offset: number } | null>(null)
  const lastKey = useRef<string | null>(null)
  const focusTarget = useRef<number | undefined>(focusSeq)
  const [highlightSeq, setHighlightSeq] = useState<number | null>(null)
  const [newBelow, setNewBelow] = useState(false)
  const [lineAway, setLineAway] = useState(false)
  /** Scrolling to the "New" line is owed (on entering, or after "Jump to first unread"). */
  const toLine = useRef(true)
  const revealing = useRef(false)
  const timeline = state.timeline.value
  const older = state.older.value
  const joined = state.join.value.status === 'joined'
  const lineAfter = state.unreadLine.value
  const line = placeUnreadLine(timeline, lineAfter)

  const entries = useComputed<ListEntry[]>(() => {
    const messages = state.timeline.value.messages
    const held = new Set(messages.map((message) => `${message.author.id}:${message.clientId}`))
    const user = chatUser.value
    // Thread replies are held (seqs stay dense) but shown in their thread, unless also sent to the room.
    const list: ListEntry[] = messages.filter(inTimeline).map((message) => ({
      kind: 'message',
      key: `${message.author.id}:${message.clientId}`,
      authorId: message.author.id,
      createdAt: message.createdAt,
      message
    }))
    if (user) {
      for (const item of outbox.value) {
        const key = `${user.id}:${item.clientId}`
        if (item.roomId === state.id && pendingInRoom(item) && !held.has(key)) list.push({ kind: 'pending', key, authorId: user.id, createdAt: item.createdAt, item })
      }
    }
    return list
  }).value
  const rows = groupMessages(entries)
  const roving = useRovingList(entries.map((entry) => entry.key))
  const now = Date.now()
  const isFirstUnread = (entry: ListEntry) => line.kind === 'before' && entry.kind === 'message' && entry.message.seq === line.seq

  // Measured before the DOM changes (render runs first), restored right after it changed.
  const scroller = scrollerRef.current
  if (scroller && !atBottom.current) anchor.current = captureAnchor(scroller)

  const readIfAtNewest = () => {
    const newest = newestSeq(state.timeline.peek())
    // Not before the list knows where the "New" line goes and has opened there.
    const settled = state.unreadLine.peek() === null || (state.unreadLine.peek() !== undefined && !toLine.current)
    if (atBottom.current && settled && isVisible() && newest !== null) markRead(state.id, newest)
  }

  const lineRow = () => scrollerRef.current?.querySelector<HTMLElement>('.unread-line') ?? null

  const updateLineAway = () => {
    const el = scrollerRef.current
    const row = lineRow()
    if (!el || line.kind === 'none') return setLineAway(false)
    if (!row) return setLineAway(true)
    const view = el.getBoundingClientRect()
    const at = row.getBoundingClientRect()
    setLineAway(at.bottom < view.top || at.top > view.bottom)
  }

  // At once, not smoothly: the re-render that hides the jump control would stop a smooth scroll
  // half way (keeping the view in place sets scrollTop).
  const scrollToLine = (row: HTMLElement) => {
    const el = scrollerRef.current
    if (!el) return
    el.scrollTop += row.getBoundingClientRect().top - el.getBoundingClientRect().top - LINE_MARGIN_PX
    updateAtBottom()
    updateLineAway()
  }

  /** The line's message is in older history: load back to it (the layout effect then scrolls). */
  const revealLine = (seq: number) => {
    if (revealing.current) return
    revealing.current = true
    atBottom.current = false
    revealMessage(state.id, seq).then((found) => {
      revealing.current = false
      // Too far back to load (or offline): stay where the list is, and let reading go on.
      if (!found) toLine.current = false
    })
  }

  const jumpToLine = () => {
    const row = lineRow()
    if (row) {
      scrollToLine(row)
    } else if (line.kind === 'older') {
      toLine.current = true
      revealLine(line.seq)
    }
  }

  const updateAtBottom = () => {
    const el = scrollerRef.current
    if (!el) return
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK_PX
    if (atBottom.current) setNewBelow(false)
  }

  const maybeLoadOlder = () => {
    const el = scrollerRef.current
    const current = state.timeline.peek()
    if (!el || !current.loaded || current.startReached || state.older.peek().status !== 'idle') return
    if (el.scrollTop < PRELOAD_PX) loadOlder(state.id)
  }

  const scrollToBottom = (smooth = false) => {
    const el = scrollerRef.current
    if (!el) return
    el.scrollTo({ top: el.scrollHeight, behavior: smooth ? 'smooth' : 'instant' })
    atBottom.current = true
    setNewBelow(false)
  }

  useLayoutEffect(() => {
    const el = scrollerRef.current
    if (!el) return
    const last = entries.at(-1)
    const appended = last !== undefined && last.key !== lastKey.current
    const ownAppended = appended && last.kind === 'pending'
    lastKey.current = last?.key ?? null

    const target = focusTarget.current
    const targetRow = target === undefined ? null : el.querySelector<HTMLElement>(`[data-seq="${target}"]`)
    // Entering with unread messages (and no `?seq=` link): open at the "New" line.
    if (target !== undefined || lineAfter === null) toLine.current = false
    const owedLine = toLine.current && lineAfter !== undefined && timeline.loaded
    const newLine = owedLine && line.kind === 'before' ? lineRow() : null
    if (owedLine && line.kind === 'older') revealLine(line.seq)
    if (owedLine && line.kind === 'none') toLine.current = false
    if (newLine) {
      toLine.current = false
      scrollToLine(newLine)
    } else if (owedLine && line.kind === 'older') {
      // Held where it is until the older pages are in.
    } else if (targetRow) {
      focusTarget.current = undefined
      targetRow.scrollIntoView({ block: 'center' })
      setHighlightSeq(target ?? null)
      updateAtBottom()
    } else if (atBottom.current || ownAppended) {
      el.scrollTop = el.scrollHeight
      atBottom.current = true
    } else {
      const held = anchor.current
      const row = held ? el.querySelector<HTMLElement>(`[data-anchor="${CSS.escape(held.key)}"]`) : null
      if (held && row) el.scrollTop += anchorTop(row) - el.getBoundingClientRect().top - held.offset
      if (appended && last.authorId !== me?.id) setNewBelow(true)
    }
    anchor.current = null
    updateLineAway()
    readIfAtNewest()
    maybeLoadOlder()
  })

  // Keep the newest message in view while the list or the page changes size (composer growing, rotation).
  useEffect(() => {
    const el = scrollerRef.current
    if (!el) return
    const observer = new ResizeObserver(() => { if (atBottom.current) el.scrollTop = el.scrollHeight })
    observer.observe(el)
    const content = el.firstElementChild
    if (content) observer.observe(content)
    const onVisible = () => readIfAtNewest()
    document.addEventListener('visibilitychange', onVisible)
    window.addEventListener('focus', onVisible)
    return () => {
      observer.disconnect()
      document.removeEventListener('visibilitychange', onVisible)
      window.removeEventListener('focus', onVisible)
    }
  }, [])

  // A `?seq=` link: load history back to that message, then the layout effect scrolls to it.
  useEffect(() => {
    focusTarget.current = focusSeq
    if (focusSeq === undefined) return
    const row = scrollerRef.current?.querySelector<HTMLElement>(`[data-seq="${focusSeq}"]`)
    if (row) {
      focusTarget.current = undefined
      row.scrollIntoView({ block: 'center' })
      setHighlightSeq(focusSeq)
      updateAtBottom()
      return
    }
    if (!joined || !timeline.loaded) return
    atBottom.current = false
    revealMessage(state.id, focusSeq)
  }, [focusSeq, joined, timeline.loaded])

  useEffect(() => {
    if (highlightSeq === null) return
    const timer = setTimeout(() => setHighlightSeq(null), 2400)
    return () => clearTimeout(timer)
  }, [highlightSeq])

  const onScroll = () => {
    updateAtBottom()
    updateLineAway()
    readIfAtNewest()
    maybeLoadOlder()
  }

  // One Tab stop for the whole list: the arrows, Home and End move between messages.
  const showIntro = timeline.loaded && timeline.startReached
  const loading = !timeline.loaded && entries.length === 0

  return (
    <div class='message-pane'>
      <div class='message-scroller' ref={scrollerRef} onScroll={onScroll}>
        <div class='message-content'>
          {showIntro ? <RoomIntro room={room} /> : null}
          {older.status === 'loading' || (loading && live)
            ? <div class='history-status' role='status'><span class='spinner' aria-hidden='true' /><span>Loading messages…</span></div>
            : null}
          {older.status === 'failed'
            ? (
              <div class='history-status'>
                <span>Couldn’t load older messages.</span>
                <button type='button' class='chat-link-button' onClick={() => { loadOlder(state.id) }}>Try again</button>
              </div>
              )
            : null}
          {loading && !live ? <div class='history-status'><span>Messages will appear once you’re connected.</span></div> : null}
          <div class='message-rows' role='log' aria-label={room ? `Messages in ${roomReference(room)}` : 'Messages'} aria-relevant='additions' {...roving.listProps}>
            {me
              ? rows.map((row) => row.kind === 'day'
                ? (
                  <div key={row.key} class='day-separator' role='separator' aria-label={formatDay(row.at, now)}>
                    <span>{formatDay(row.at, now)}</span>
                  </div>
                  )
                : (
                  <div key={row.key} data-anchor={row.key}>
                    {isFirstUnread(row.entry)
                      ? <div class='unread-line' role='separator' aria-label='New messages from here'><span>New</span></div>
                      : null}
                    <MessageItem
                      entry={row.entry}
                      startsGroup={row.startsGroup || isFirstUnread(row.entry)}
                      me={me}
                      live={live}
                      highlighted={row.entry.kind === 'message' && row.entry.message.seq === highlightSeq}
                      tabStop={row.key === roving.tabStop}
                    />
                  </div>
                  ))
              : null}
          </div>
        </div>
      </div>
      {lineAway
        ? (
          <button type='button' class='jump-unread-pill' onClick={jumpToLine}>
            <ArrowUpIcon size={16} />
            Jump to first unread
          </button>
          )
        : null}
      {newBelow
        ? (
          <button type='button' class='new-messages-pill' onClick={() => scrollToBottom(true)}>
            <ArrowDownIcon size={16} />
            New messages
          </button>
          )
        : null}
    </div>
  )
}
