import { computed, signal, type Signal } from '@preact/signals'
import type { User } from '../../../shared/auth.ts'
import type { Member, Room } from '../../../shared/chat.ts'
import type { ErrorInfo } from '../../../shared/protocol.ts'
import type { OutboxItem } from './outbox.ts'
import { emptyTimeline, type Timeline } from './timeline.ts'
import { noTypers, type Typers } from './typing.ts'
import { unreadSnapshot, type UnreadState } from './unread.ts'

/**
 * The chat state views render. Only the chat modules that talk to the server write it (from acks,
 * pushes and HTTP answers); views read the signals and call those modules' intents.
 */

export type JoinState =
  | { status: 'idle' }
  | { status: 'joining' }
  | { status: 'joined' }
  | { status: 'failed', error: ErrorInfo }

export type LoadState = { status: 'idle' } | { status: 'loading' } | { status: 'failed', error: ErrorInfo }

/** Everything about one room, each part its own signal so a typing change re-renders only the typing line. */
export interface RoomState {
  readonly id: string
  readonly timeline: Signal<Timeline>
  /** Null until the first join answers. */
  readonly members: Signal<readonly Member[] | null>
  readonly typers: Signal<Typers>
  readonly unread: Signal<UnreadState>
  /** Whether this tab's socket follows the room right now. */
  readonly join: Signal<JoinState>
  /** Loading older history. */
  readonly older: Signal<LoadState>
  /** The timeline starts from a known seq (a listed room, or a page was loaded). */
  anchored: boolean
  /** The user's read marker as the server last said it (rooms list, join, reads from any tab). */
  readThrough: number
  /**
   * While the room is on screen, the marker its "New" line follows, fixed on entering (see
   * `unread-line.ts`): undefined until decided, null for no line.
   */
  readonly unreadLine: Signal<number | null | undefined>
}

export type RoomsListState = { status: 'loading' } | { status: 'ready' } | { status: 'failed', error: ErrorInfo }

/** The signed-in user as chat knows them (null when signed out). */
export const chatUser = signal<User | null>(null)

/** Every room the user can see, in sidebar order. */
export const rooms = signal<readonly Room[]>([])
export const roomsList = signal<RoomsListState>({ status: 'loading' })

/** The room on screen (null: the rooms list, or another part of the app). */
export const activeRoomId = signal<string | null>(null)

/** Messages written and not yet acknowledged, in the order written (all rooms). */
export const outbox = signal<readonly OutboxItem[]>([])

/** A short-lived message about something that failed in the background (an edit, a delete). */
export const chatNotice = signal<{ id: number, text: string } | null>(null)
let noticeIds = 0
export const showNotice = (text: string) => { chatNotice.value = { id: ++noticeIds, text } }

const roomStates = new Map<string, RoomState>()

/** The state of a room, created on first use. */
export const roomState = (roomId: string): RoomState => {
  let state = roomStates.get(roomId)
  if (!state) {
    state = {
      id: roomId,
      timeline: signal(emptyTimeline()),
      members: signal(null),
      typers: signal(noTypers),
      unread: signal(unreadSnapshot(0, 0)),
      join: signal({ status: 'idle' }),
      older: signal({ status: 'idle' }),
      anchored: false,
      readThrough: 0,
      unreadLine: signal(undefined)
    }
    roomStates.set(roomId, state)
  }
  return state
}

export const knownRoomStates = () => roomStates.values()

/** A listed room (reading `rooms`, so a view calling it re-renders when the list changes). */
export const findRoom = (roomId: string | null): Room | null =>
  roomId === null ? null : rooms.value.find((room) => room.id === roomId) ?? null

/** Unread messages in the rooms joined, but the one on screen and those `skip` leaves out (muted ones, for the Chat tab's badge). */
export const unreadElsewhereExcept = (skip: (roomId: string) => boolean) => computed(() => {
  const active = activeRoomId.value
  return rooms.value
    .filter((room) => room.joined && room.id !== active && !skip(room.id))
    .reduce((total, room) => total + roomState(room.id).unread.value.count, 0)
})
/** Unread messages in the rooms joined, but the one on screen. */
export const unreadElsewhere = unreadElsewhereExcept(() => false)

/** Forgets everything (sign-out, or another user signs in). */
export const resetChatStore = () => {
  roomStates.clear()
  rooms.value = []
  roomsList.value = { status: 'loading' }
  outbox.value = []
  chatNotice.value = null
}
