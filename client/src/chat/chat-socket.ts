import { batch, effect, untracked, type ReadonlySignal } from '@preact/signals'
import type { Socket } from 'socket.io-client'
import type { User } from '../../../shared/auth.ts'
import { HISTORY_PAGE, type chatCommands, type chatPushes, type Member, type Message, type Room } from '../../../shared/chat.ts'
import { Namespaces, type CommandData, type CommandEvents, type ErrorInfo, type PushEvents } from '../../../shared/protocol.ts'
import { fetchJson } from '../http/fetch-json.ts'
import { socketFor } from '../realtime/connection.ts'
import { request } from '../realtime/request.ts'
import { whenConnected } from '../realtime/when-connected.ts'
import {
  activeRoomId, chatNotice, chatUser, knownRoomStates, outbox, resetChatStore, rooms, roomsList, roomState, type RoomState
} from './chat-store.ts'
import { describeChangeError } from './describe-chat-error.ts'
import {
  enqueue, loadOutbox, markFailed, markQueued, markSending, newOutboxItem, nextToSend, removeConfirmed, saveOutbox, shouldRequeue,
  type OutboxItem
} from './outbox.ts'
import { sortMembers, applyPresence, upsertRoom, compareRooms } from './rooms.ts'
import {
  applyCatchUp, applyDeletion, applyLatestPage, applyMessage, applyOlderPage, applyUpdate, emptyTimeline, hasGap, newestSeq, oldestSeq,
  type MergeResult, type Timeline
} from './timeline.ts'
import { pruneTypers, setTyper } from './typing.ts'
import { countArrivals, countDeletions, unreadSnapshot } from './unread.ts'

type ChatSocket = Socket<PushEvents<typeof chatPushes>, CommandEvents<typeof chatCommands>>
type JoinData = CommandData<typeof chatCommands, 'chat:join'>

/** How long a message may wait for its ack before it shows as failed (with Retry). */
const SEND_TIMEOUT_MS = 10_000
/** Reads are coalesced: one `chat:read` for a burst of messages read at once. */
const READ_DELAY_MS = 300
/** A `?seq=` link to an old message loads at most this many pages to reach it. */
const REVEAL_MAX_PAGES = 20

let socket: ChatSocket | null = null
let started = false
/** Bumped at every sign-in and sign-out: HTTP answers for an older session are stale. */
let session = 0
/** Bumped at every sign-in/sign-out and reconnect: socket answers to an older generation are stale. */
let generation = 0
const joins = new Map<string, Promise<void>>()
const readSent = new Map<string, number>()
const readTimers = new Map<string, ReturnType<typeof setTimeout>>()
const typingTimers = new Map<string, ReturnType<typeof setTimeout>>()
/** clientIds this tab saw confirmed: never written back to storage by this tab. */
const confirmed = new Set<string>()
let flushing = false
let flushAgain = false
let roomsRequest: Promise<void> | null = null
let noticeIds = 0

const chatSocket = (): ChatSocket => {
  socket ??= socketFor<PushEvents<typeof chatPushes>, CommandEvents<typeof chatCommands>>(Namespaces.chat)
  return socket
}

const me = () => chatUser.peek()
/**
 * The socket is connected and the browser is online: a socket whose network just went away can
 * look connected until its heartbeat fails, and a message sent into it would only time out.
 */
const live = () => socket !== null && socket.connected && navigator.onLine

const notify = (text: string) => { chatNotice.value = { id: ++noticeIds, text } }

// ---------- applying what the server says ----------

const setTimeline = (state: RoomState, result: MergeResult & { timeline: Timeline }) => {
  const user = me()
  batch(() => {
    state.timeline.value = result.timeline
    if (user && result.added.length > 0) state.unread.value = countArrivals(state.unread.peek(), result.added, user.id)
    if (user && result.replaced.length > 0) state.unread.value = countDeletions(state.unread.peek(), result.replaced, result.timeline.messages, user.id)
    // Whoever just posted stopped typing; and our own posts seen here confirm outbox items.
    const authors = new Set(result.added.map((message) => message.author.id))
    if (authors.size > 0) {
      let typers = state.typers.peek()
      for (const id of authors) {
        const typer = typers.get(id)
        if (typer) typers = setTyper(typers, typer.user, false, Date.now())
      }
      state.typers.value = typers
    }
    if (user) confirmOwn(result.added.filter((message) => message.author.id === user.id))
  })
}

/** Server counts as of a seq, plus what this tab holds beyond it. */
const setUnreadFromServer = (state: RoomState, count: number, asOfSeq: number) => {
  const user = me()
  const snapshot = unreadSnapshot(count, asOfSeq)
  state.unread.value = user ? countArrivals(snapshot, state.timeline.peek().messages, user.id) : snapshot
}

/** Starts following a listed room from its current end (no history is fetched until it is opened). */
const anchor = (room: Room) => {
  const state = roomState(room.id)
  if (!state.anchored) {
    state.anchored = true
    // Anything that arrived before the room was known (an ack from the outbox) stays if newer.
    const held = state.timeline.peek().messages.filter((message) => message.seq > room.lastSeq)
    state.timeline.value = applyCatchUp(emptyTimeline(room.lastSeq), held).timeline
  }
  return state
}

const applyRooms = (list: readonly Room[]) => {
  batch(() => {
    // Rooms are never taken away, so one that arrived while the list was on its way stays.
    const listed = new Set(list.map((room) => room.id))
    rooms.value = [...list, ...rooms.peek().filter((room) => !listed.has(room.id))].sort(compareRooms)
    roomsList.value = { status: 'ready' }
    for (const room of list) {
      const state = anchor(room)
      setUnreadFromServer(state, room.unread, room.lastSeq)
    }
  })
}

const applyJoin = (roomId: string, data: JoinData, since: number | undefined) => {
  const state = roomState(roomId)
  batch(() => {
    rooms.value = upsertRoom(rooms.peek(), data.room)
    state.members.value = sortMembers(data.members)
    state.join.value = { status: 'joined' }
    state.anchored = true
    setTimeline(state, since === undefined
      ? applyLatestPage(state.timeline.peek(), data.messages, data.hasMore, data.room.lastSeq)
      : applyCatchUp(state.timeline.peek(), data.messages))
    setUnreadFromServer(state, data.room.unread, data.room.lastSeq)
  })
}

/** A new message from an ack or a push; a gap behind it is filled by a catch-up join. */
const acceptMessage = (message: Message) => {
  const state = roomState(message.roomId)
  const result = applyMessage(state.timeline.peek(), message)
  setTimeline(state, result)
  if (result.gap) follow(message.roomId)
}

// ---------- the outbox ----------

const setOutbox = (items: readonly OutboxItem[]) => {
  outbox.value = items
  const user = me()
  if (user) saveOutbox(window.localStorage, user.id, items, confirmed)
}

const confirmOwn = (messages: readonly Message[]) => {
  if (messages.length === 0) return
  const ids = new Set(messages.map((message) => message.clientId))
  for (const id of ids) confirmed.add(id)
  const items = outbox.peek()
  if (items.some((item) => ids.has(item.clientId))) setOutbox(removeConfirmed(items, ids))
}

/** One pass over the queue: sends queued messages one at a time, in the order written, while live. */
const flushQueued = async () => {
  for (;;) {
    const user = me()
    if (!user || !live()) return
    const item = nextToSend(outbox.peek())
    if (!item) return
    const sentOn = generation
    setOutbox(markSending(outbox.peek(), item.clientId))
    const result = await request(chatSocket(), 'chat:send', { roomId: item.roomId, text: item.text, clientId: item.clientId }, SEND_TIMEOUT_MS)
    // Signed out (or in as someone else) meanwhile: that outbox is stored, not ours to touch.
    if (me() !== user) return
    if (result.ok) {
      confirmed.add(item.clientId)
      setOutbox(removeConfirmed(outbox.peek(), new Set([item.clientId])))
      acceptMessage(result.data.message)
    } else if (shouldRequeue(result.error, live()) || (result.error.code === 'unavailable' && sentOn !== generation)) {
      // The connection went (or came back) while waiting: it may not have arrived; resending is safe.
      setOutbox(markQueued(outbox.peek(), item.clientId))
      return
    } else {
      setOutbox(markFailed(outbox.peek(), item.clientId, result.error))
    }
  }
}

/** Delivers the outbox; a call while a pass runs makes it go round once more when done. */
const flushOutbox = async () => {
  if (flushing) {
    flushAgain = true
    return
  }
  flushing = true
  try {
    do {
      flushAgain = false
      await flushQueued()
    } while (flushAgain)
  } finally {
    flushing = false
  }
}

/**
 * Tells the server which room this tab shows and whether the tab is visible: mentions and DMs
 * of that room are then not notified while it is read here (and are, everywhere else).
 */
const sendFocus = () => {
  if (!me() || !live()) return
  request(chatSocket(), 'chat:focus', { roomId: activeRoomId.peek(), visible: document.visibilityState === 'visible' }, 5000)
}

// ---------- following rooms ----------

/** One `chat:join`; true when there is more to catch up on (over 500 messages were missed). */
const joinOnce = async (roomId: string): Promise<boolean> => {
  const state = roomState(roomId)
  const timeline = state.timeline.peek()
  // The open room gets its latest page with the join; others only catch up from where they are.
  const wantsPage = !state.anchored || (activeRoomId.peek() === roomId && !timeline.loaded)
  const since = wantsPage ? undefined : timeline.syncedThrough
  if (state.join.peek().status !== 'joined') state.join.value = { status: 'joining' }
  const mine = generation
  const result = await request(chatSocket(), 'chat:join', since === undefined ? { roomId } : { roomId, since })
  if (mine !== generation) return false
  if (result.ok) {
    applyJoin(roomId, result.data, since)
    // Opened while this catch-up was on its way: it still needs its latest page.
    if (activeRoomId.peek() === roomId && !state.timeline.peek().loaded) loadOlder(roomId)
    return since !== undefined && result.data.hasMore
  }
  // A connection lost on the way is not the room's fault: the next connect joins again.
  state.join.value = result.error.code === 'unavailable' && !live() ? { status: 'idle' } : { status: 'failed', error: result.error }
  return false
}

/**
 * Joins a room on this socket, or catches up on it, one join per room at a time. A caller that
 * finds one running shares it; it repeats while anything is still missing (a gap a push revealed
 * meanwhile, or more catch-up pages).
 */
const follow = (roomId: string): Promise<void> => {
  const running = joins.get(roomId)
  if (running) return running
  const run = (async () => {
    const mine = generation
    for (let round = 0; round < 100; round++) {
      if (mine !== generation || !live()) return
      const more = await joinOnce(roomId)
      const state = roomState(roomId)
      if (state.join.peek().status !== 'joined') return
      if (!more && !hasGap(state.timeline.peek())) return
    }
  })().finally(() => { if (joins.get(roomId) === run) joins.delete(roomId) })
  joins.set(roomId, run)
  return run
}

/** Loads the rooms list (one request at a time; callers share it). */
export const refreshRooms = (): Promise<void> => {
  roomsRequest ??= (async () => {
    const mine = session
    const result = await fetchJson<{ rooms: Room[] }>('GET', '/api/rooms')
    if (mine !== session) return
    if (result.ok) applyRooms(result.data.rooms)
    else if (roomsList.peek().status !== 'ready') roomsList.value = { status: 'failed', error: result.error }
  })().finally(() => { roomsRequest = null })
  return roomsRequest
}

/**
 * After every (re)connect: the socket follows no room any more; join again the rooms this user
 * belongs to (and the open one), catching up. Public rooms not joined yet stay listed to browse.
 */
const resync = async () => {
  if (!me()) return
  const mine = ++generation
  // A new socket starts with no focus on the server.
  sendFocus()
  for (const state of knownRoomStates()) state.join.value = { status: 'idle' }
  joins.clear()
  readSent.clear()
  flushOutbox()
  await refreshRooms()
  if (mine !== generation || !live()) return
  const ids = new Set(rooms.peek().filter((room) => room.joined).map((room) => room.id))
  const active = activeRoomId.peek()
  if (active !== null) ids.add(active)
  // The open room first, so what is on screen is ready soonest.
  if (active !== null) follow(active)
  for (const id of ids) if (id !== active) follow(id)
}

// ---------- pushes ----------

/** A room this user can now see (created, invited, a DM opened): listed, and followed when a member. */
const roomArrived = (room: Room) => {
  batch(() => {
    const known = rooms.peek().some((held) => held.id === room.id)
    rooms.value = upsertRoom(rooms.peek(), room)
    const state = anchor(room)
    if (!known) setUnreadFromServer(state, room.unread, room.lastSeq)
  })
  if (room.joined && live() && roomState(room.id).join.peek().status === 'idle') follow(room.id)
}

const scheduleTypingExpiry = (state: RoomState) => {
  clearTimeout(typingTimers.get(state.id))
  const { typers, nextExpiry } = pruneTypers(state.typers.peek(), Date.now())
  state.typers.value = typers
  if (nextExpiry === null) typingTimers.delete(state.id)
  else typingTimers.set(state.id, setTimeout(() => scheduleTypingExpiry(state), nextExpiry - Date.now() + 20))
}

const listen = (s: ChatSocket) => {
  s.on('chat:message', ({ message }) => acceptMessage(message))
  s.on('chat:message-updated', ({ message }) => {
    const state = roomState(message.roomId)
    setTimeline(state, applyUpdate(state.timeline.peek(), message))
  })
  s.on('chat:message-deleted', ({ roomId, messageId, seq }) => {
    const state = roomState(roomId)
    setTimeline(state, applyDeletion(state.timeline.peek(), messageId, seq))
  })
  s.on('chat:presence', ({ roomId, user, online }) => {
    const state = roomState(roomId)
    batch(() => {
      const members = state.members.peek()
      if (members) state.members.value = applyPresence(members, user, online)
      if (!online) state.typers.value = setTyper(state.typers.peek(), user, false, Date.now())
    })
  })
  s.on('chat:typing', ({ roomId, user, typing }) => {
    if (user.id === me()?.id) return
    const state = roomState(roomId)
    state.typers.value = setTyper(state.typers.peek(), user, typing, Date.now())
    scheduleTypingExpiry(state)
  })
  s.on('chat:room', ({ room }) => roomArrived(room))
  s.on('chat:read', ({ roomId, seq, unread }) => {
    const state = roomState(roomId)
    readSent.set(roomId, Math.max(readSent.get(roomId) ?? 0, seq))
    state.unread.value = unreadSnapshot(unread, Math.max(seq, newestSeq(state.timeline.peek()) ?? 0))
  })
}

// ---------- session ----------

const beginSession = (user: User) => {
  session++
  generation++
  roomsRequest = null
  resetChatStore()
  confirmed.clear()
  readSent.clear()
  chatUser.value = user
  outbox.value = loadOutbox(window.localStorage, user.id)
  refreshRooms()
}

const endSession = () => {
  session++
  generation++
  roomsRequest = null
  for (const timer of [...readTimers.values(), ...typingTimers.values()]) clearTimeout(timer)
  readTimers.clear()
  typingTimers.clear()
  joins.clear()
  chatUser.value = null
  resetChatStore()
}

/**
 * Wires chat to the signed-in user: on sign-in the stored outbox and the rooms list load, the
 * socket (opened by the connection) follows every visible room, and after every reconnect the
 * rooms are joined again from the last seq held, so nothing is missed or shown twice.
 */
export const startChat = (user: ReadonlySignal<User | null>) => {
  if (started) return
  started = true
  const s = chatSocket()
  listen(s)
  whenConnected(s, () => { resync() })
  effect(() => {
    const current = user.value
    untracked(() => {
      if (current?.id === chatUser.peek()?.id) return
      if (current) beginSession(current)
      else endSession()
    })
  })
  // Back online with a socket that never noticed it was gone: send what waited.
  window.addEventListener('online', () => { flushOutbox() })
  // Tells the server again whenever the room on screen changes.
  effect(() => {
    if (activeRoomId.value !== undefined) untracked(sendFocus)
  })
  document.addEventListener('visibilitychange', sendFocus)
}

// ---------- intents for the views ----------

/** The room on screen changed (null: none). Joins it, or loads its latest page, as needed. */
export const openRoom = (roomId: string | null) => {
  activeRoomId.value = roomId
  if (roomId === null || !live()) return
  const state = roomState(roomId)
  const join = state.join.peek().status
  if (join === 'joined') {
    if (!state.timeline.peek().loaded) loadOlder(roomId)
  } else if (join !== 'joining') {
    follow(roomId)
  }
}

/** Tries a failed join again (the view's Retry). */
export const retryRoom = (roomId: string) => {
  roomState(roomId).join.value = { status: 'idle' }
  openRoom(roomId)
}

/** The page of messages before the oldest held (scrolling up). */
export const loadOlder = async (roomId: string): Promise<void> => {
  const state = roomState(roomId)
  const timeline = state.timeline.peek()
  if (state.older.peek().status === 'loading' || (timeline.loaded && timeline.startReached) || !live()) return
  const before = oldestSeq(timeline)
  if (before <= 1) {
    state.timeline.value = { ...timeline, startReached: true, loaded: true }
    return
  }
  state.older.value = { status: 'loading' }
  const mine = generation
  const result = await request(chatSocket(), 'chat:history', { roomId, before, limit: HISTORY_PAGE })
  if (mine !== generation) return
  if (result.ok) {
    batch(() => {
      // Older messages are below every unread count: no need to count them.
      state.timeline.value = applyOlderPage(state.timeline.peek(), result.data.messages, result.data.hasMore).timeline
      state.older.value = { status: 'idle' }
    })
  } else {
    state.older.value = { status: 'failed', error: result.error }
  }
}

/** Loads history until the message with `seq` is held (a `?seq=` link); false if it cannot be. */
export const revealMessage = async (roomId: string, seq: number): Promise<boolean> => {
  const state = roomState(roomId)
  for (let page = 0; page < REVEAL_MAX_PAGES; page++) {
    const timeline = state.timeline.peek()
    if (timeline.messages.some((message) => message.seq === seq)) return true
    if ((timeline.loaded && timeline.startReached) || oldestSeq(timeline) <= seq || state.older.peek().status === 'failed' || !live()) return false
    await loadOlder(roomId)
  }
  return false
}

/** Writes a message: it shows as pending at once, waits in the outbox and goes out in order. */
export const sendMessage = (roomId: string, text: string) => {
  const item = newOutboxItem(roomId, text, crypto.randomUUID(), Date.now())
  setOutbox(enqueue(outbox.peek(), item))
  flushOutbox()
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

export const editMessage = async (message: Message, text: string): Promise<ErrorInfo | null> => {
  const result = await request(chatSocket(), 'chat:edit', { messageId: message.id, text })
  if (!result.ok) {
    notify(describeChangeError(result.error, 'edit'))
    return result.error
  }
  const state = roomState(message.roomId)
  setTimeline(state, applyUpdate(state.timeline.peek(), result.data.message))
  return null
}

export const deleteMessage = async (message: Message): Promise<ErrorInfo | null> => {
  const result = await request(chatSocket(), 'chat:delete', { messageId: message.id })
  if (!result.ok) {
    notify(describeChangeError(result.error, 'delete'))
    return result.error
  }
  const state = roomState(message.roomId)
  setTimeline(state, applyUpdate(state.timeline.peek(), result.data.message))
  return null
}

/** Marks a room read up to `seq` (coalesced; never moves back). */
export const markRead = (roomId: string, seq: number) => {
  if (seq <= (readSent.get(roomId) ?? 0) || readTimers.has(roomId) || !live()) return
  const state = roomState(roomId)
  if (state.join.peek().status !== 'joined') return
  readTimers.set(roomId, setTimeout(async () => {
    readTimers.delete(roomId)
    const newest = Math.max(seq, newestSeq(state.timeline.peek()) ?? 0)
    if (newest <= (readSent.get(roomId) ?? 0)) return
    readSent.set(roomId, newest)
    const mine = generation
    const result = await request(chatSocket(), 'chat:read', { roomId, seq: newest })
    if (mine !== generation) return
    if (result.ok) state.unread.value = unreadSnapshot(result.data.unread, Math.max(newest, newestSeq(state.timeline.peek()) ?? 0))
    else readSent.delete(roomId)
  }, READ_DELAY_MS))
}

/** Tells the room this user is typing (or stopped); only while the socket follows it. */
export const setTyping = (roomId: string, typing: boolean) => {
  if (!live() || roomState(roomId).join.peek().status !== 'joined') return
  request(chatSocket(), 'chat:typing', { roomId, typing }, 5000)
}

export type ChatRequestResult<T> = { ok: true, data: T } | { ok: false, error: ErrorInfo }

export const createRoom = async (input: { name: string, topic: string, visibility: 'public' | 'private' }): Promise<ChatRequestResult<Room>> => {
  const result = await fetchJson<{ room: Room }>('POST', '/api/rooms', input)
  if (!result.ok) return result
  roomArrived(result.data.room)
  return { ok: true, data: result.data.room }
}

/** The direct room with someone (created the first time). */
export const openDirect = async (username: string): Promise<ChatRequestResult<Room>> => {
  const result = await fetchJson<{ room: Room }>('POST', '/api/dms', { username })
  if (!result.ok) return result
  roomArrived(result.data.room)
  return { ok: true, data: result.data.room }
}

export const inviteToRoom = async (roomId: string, username: string): Promise<ChatRequestResult<Room>> => {
  const result = await fetchJson<{ room: Room }>('POST', `/api/rooms/${encodeURIComponent(roomId)}/members`, { username })
  if (!result.ok) return result
  rooms.value = upsertRoom(rooms.peek(), result.data.room)
  // The invitee is a member now; nothing is pushed to the room about it, so ask for the list.
  const members = await fetchJson<{ members: Member[] }>('GET', `/api/rooms/${encodeURIComponent(roomId)}/members`)
  if (members.ok) roomState(roomId).members.value = sortMembers(members.data.members)
  return { ok: true, data: result.data.room }
}

/** Drops the background notice (its toast timed out or was closed). */
export const dismissNotice = (id: number) => {
  if (chatNotice.peek()?.id === id) chatNotice.value = null
}
