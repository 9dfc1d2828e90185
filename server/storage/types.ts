import type { User } from '../../shared/auth.ts'
import type { Message, RoomRole, Visibility } from '../../shared/chat.ts'
import type { Image, ImageMime } from '../../shared/images.ts'
import type { Alert, AlertDirection, AlertKind, Watchlist } from '../../shared/ticker.ts'
import type { InboxFilter, Notification, NotificationKind, NotificationSettings, Preferences, RoomLevel, RoomPreference } from '../../shared/notifications.ts'

export interface UserRecord extends User {
  passwordHash: string
  createdAt: number
}

export interface SessionRecord {
  id: string
  user: User
  expiresAt: number
}

/** A user's profile as stored: the status as set, expired or not (the service hides an expired one). */
export interface ProfileRecord extends User {
  displayName: string
  statusText: string
  statusExpiresAt: number | null
  timeZone: string
  /** The uploaded avatar's id; absent: none (the generated one). */
  avatarId?: string
}

/** What a profile change sets; absent parts stay as they are. */
export interface ProfileChange {
  displayName?: string
  status?: { text: string, expiresAt: number | null }
  timeZone?: string
}

export interface UserStore {
  /** Throws a `conflict` AppError when the name is taken, case-insensitively. */
  create (input: { username: string, passwordHash: string, now: number }): Promise<UserRecord>
  findByUsername (username: string): Promise<UserRecord | null>
  findById (id: string): Promise<User | null>
  findManyByUsername (usernames: string[]): Promise<User[]>
  /** The profiles of these users (unknown ids left out), in no particular order. */
  profiles (ids: readonly string[]): Promise<ProfileRecord[]>
  /** Sets what the change holds; the profile as it now is, or null when there is no such user. */
  updateProfile (id: string, change: ProfileChange): Promise<ProfileRecord | null>
  /**
   * People whose username or display name contains `query` (lower-case; '' matches everyone),
   * by username, after the username key `after`, at most `limit`.
   */
  findPeople (input: { query: string, after?: string | undefined, limit: number }): Promise<ProfileRecord[]>
  /** The rooms the user belongs to: who sees a change of their profile. */
  roomIds (userId: string): Promise<string[]>
}

export interface SessionStore {
  create (input: { tokenHash: string, userId: string, now: number, expiresAt: number }): Promise<SessionRecord>
  /** The unexpired session with this token hash, or null. */
  find (tokenHash: string, now: number): Promise<SessionRecord | null>
  /** Deletes the session; returns its id when there was one. */
  revoke (tokenHash: string): Promise<string | null>
  deleteExpired (now: number): Promise<number>
}

/** A room without its counts: what access checks and notifications need. */
export interface RoomInfo {
  id: string
  name: string
  topic: string
  visibility: Visibility
  lastSeq: number
  /** The room's newest change number (edits, deletions, reactions). */
  lastRev: number
}

export interface RoomRecord extends RoomInfo {
  memberCount: number
}

/** A room as one user sees it: with their unread count. */
export interface UserRoomRecord extends RoomRecord {
  /** Whether the user is a member (public rooms are listed to everyone, members or not). */
  member: boolean
  unread: number
  lastReadSeq: number
}

/** A member of a room and their role there. */
export interface RoomMemberRecord extends User {
  role: RoomRole
}

export interface MessagePage {
  messages: Message[]
  hasMore: boolean
}

/** A search of the messages a user may read (public rooms and the user's rooms), newest first. */
export interface MessageSearch {
  userId: string
  /** Lower-case words; a message matches when, for each, one of its words starts with it. */
  terms: string[]
  /** `roomNameKey` of a room's name; `username_key` of an author. */
  roomKey?: string
  authorKey?: string
  hasLink: boolean
  /** created_at < before, created_at >= after. */
  before?: number
  after?: number
  /** The store's own cursor, from a previous page's `nextCursor`. */
  cursor?: string
  limit: number
}

export interface SearchHitRecord {
  message: Message
  room: Pick<RoomInfo, 'id' | 'name' | 'visibility'>
}

export interface ChatStore {
  /** Public rooms and the rooms the user belongs to. */
  listRooms (userId: string): Promise<UserRoomRecord[]>
  getRoom (roomId: string, userId: string): Promise<UserRoomRecord | null>
  /** The room and whether the user is a member, without counting anything: the cheap check of every send. */
  getRoomAccess (roomId: string, userId: string): Promise<(RoomInfo & { member: boolean }) | null>
  /** A new public or private room (`createdBy` its owner when among `memberIds`); null, creating nothing, when a public room has the same `nameKey`. */
  createRoom (input: { name: string, nameKey: string, topic: string, visibility: Visibility, createdBy: string, memberIds: string[], now: number }): Promise<RoomRecord | null>
  /** The direct room of two users, created on first use (the pair is unique). */
  findOrCreateDirect (input: { userIds: [string, string], name: string, now: number }): Promise<{ room: RoomRecord, created: boolean }>
  /** Adds a member, with everything already said counted as read; false when they already were one. */
  addMember (roomId: string, userId: string, now: number): Promise<boolean>
  /** The room's members with their roles, by name. */
  members (roomId: string): Promise<RoomMemberRecord[]>
  /** The user's role in the room; null when not a member (or no such room). */
  memberRole (roomId: string, userId: string): Promise<RoomRole | null>
  /**
   * Renames a room and/or sets its topic. A new name (with its `nameKey`) that another public room
   * has changes nothing and returns null (checked and stored in one step); no such room is `not_found`.
   */
  updateRoom (input: { roomId: string, name?: string | undefined, nameKey?: string | undefined, topic?: string | undefined }): Promise<RoomInfo | null>
  /** Sets a member's role; false when they are not a member. */
  setMemberRole (roomId: string, userId: string, role: RoomRole): Promise<boolean>
  /**
   * Takes a member out of a room. When they were its owner, the longest-standing admin (or else
   * member) becomes the owner, in the same transaction; that one is returned as `newOwner`.
   */
  removeMember (roomId: string, userId: string): Promise<{ removed: boolean, newOwner: RoomMemberRecord | null }>
  /**
   * Stores a message with the room's next seq, committed before it resolves, and moves the
   * author's read marker to it (one's own message is read). The same (author, clientId) again
   * returns the stored message with `created: false` and changes nothing. Implementations may
   * commit concurrent appends together; each still resolves only after its commit.
   */
  appendMessage (input: {
    roomId: string
    authorId: string
    text: string
    clientId: string
    now: number
    /**
     * A thread reply: the root (a message of the same room, not a reply, not deleted, or
     * `invalid_payload` / `conflict`) counts it, takes `now` as its last reply time and the
     * room's next rev, in the same commit.
     */
    threadRootId?: string | undefined
    /** A reply shown in the room's timeline too. */
    alsoInRoom?: boolean | undefined
    /** An image the author uploaded to the room and has not sent (see checkAttachable). */
    image?: ImageAttachment
  }): Promise<{ message: Message, created: boolean }>
  getMessage (messageId: string): Promise<Message | null>
  /** Edits a live message (`conflict` when deleted); the edit takes the room's next rev. */
  editMessage (messageId: string, text: string, now: number): Promise<Message>
  /** Deletes a message with its reactions and its image; the deletion takes the room's next rev. */
  deleteMessage (messageId: string, now: number): Promise<Message>
  /**
   * Sets the user's reaction with `emoji` on a message (`on` absent: the opposite of now). A
   * change takes the room's next rev; none (already so) changes nothing. `not_found` when there
   * is no such message, `conflict` when it is deleted or when a new emoji would make more than
   * `maxDistinct` different ones (checked and stored in one transaction). Returns the message as it now is.
   */
  react (input: { messageId: string, userId: string, emoji: string, on?: boolean | undefined, now: number, maxDistinct: number }): Promise<{ message: Message, changed: boolean }>
  /** Messages with seq > since, oldest first, at most `limit`. */
  messagesAfter (roomId: string, since: number, limit: number): Promise<MessagePage>
  /** The newest `limit` messages of the room's timeline (thread replies only with `alsoInRoom`) with seq < before, returned oldest first. */
  messagesBefore (roomId: string, before: number, limit: number): Promise<MessagePage>
  /** The newest `limit` replies of a thread with seq < before, returned oldest first. */
  threadReplies (rootId: string, before: number, limit: number): Promise<MessagePage>
  /**
   * Follows or stops following threads: `on`/`off` set it; `auto` makes users follow unless they
   * already follow or stopped (the root's author, repliers, mentioned members).
   */
  followThread (rootId: string, userIds: string[], mode: 'on' | 'off' | 'auto'): Promise<void>
  /** Who follows a thread. */
  threadFollowers (rootId: string): Promise<string[]>
  /** Messages with seq <= upToSeq whose rev is in (afterRev, throughRev], oldest change first, at most `limit`. */
  messagesChanged (roomId: string, range: { upToSeq: number, afterRev: number, throughRev: number }, limit: number): Promise<MessagePage>
  /** Live (not deleted) messages matching a search; a cursor this store did not give is `invalid_payload`. */
  searchMessages (search: MessageSearch): Promise<{ hits: SearchHitRecord[], nextCursor: string | null }>
  /** Moves the user's read marker forward (never back) and returns the unread count. */
  markRead (roomId: string, userId: string, seq: number): Promise<{ lastReadSeq: number, unread: number }>
  /**
   * Sets the user's read marker to `seq - 1` (back, or forward: the message with `seq` becomes the
   * first unread one; a seq past the room's last counts as its last) and returns the unread count.
   */
  markUnread (roomId: string, userId: string, seq: number): Promise<{ lastReadSeq: number, unread: number }>
}

/**
 * An image to put in a new message, in the same transaction: the author's own upload to the same
 * room, not in a message yet, uploaded after `uploadedAfter` (older ones have expired); otherwise
 * `not_found`, or `conflict` when it is already in another message, and nothing is stored.
 */
export interface ImageAttachment {
  id: string
  uploadedAfter: number
}

export type AppendInput = Parameters<ChatStore['appendMessage']>[0]
export type AppendResult = Awaited<ReturnType<ChatStore['appendMessage']>>
/** An append waiting for its group commit. */
export interface PendingAppend {
  input: AppendInput
  resolve: (result: AppendResult) => void
  reject: (error: unknown) => void
}
export interface NewNotification {
  kind: NotificationKind
  title: string
  body: string
  url: string | null
  roomId?: string | null | undefined
  roomName?: string | null | undefined
  actor?: string | null | undefined
}

export interface NotificationStore {
  /** Stores one notification per user, in one transaction; returns them keyed by user id. */
  insert (userIds: string[], input: NewNotification, now: number): Promise<Map<string, Notification>>
  /** Newest first, never the done ones; `before` is the id of the oldest notification the caller already has. */
  list (userId: string, before: string | undefined, limit: number, filter?: InboxFilter): Promise<{ notifications: Notification[], hasMore: boolean }>
  /** Marks the user's own notifications read (ids of others are ignored); returns the unread count. */
  markRead (userId: string, which: { ids: string[] } | { all: true }, now: number): Promise<number>
  /** Marks one of the user's own notifications (not done) unread; null when they have no such one. */
  markUnread (userId: string, id: string): Promise<number | null>
  /** Marks the user's own notifications done (and read) or not done; returns the ids that changed and the unread count. */
  setDone (userId: string, ids: string[], done: boolean, now: number): Promise<{ changed: string[], unread: number }>
  unread (userId: string): Promise<number>
  /** The user's room preferences (rooms they set something for) and settings (defaults when never set). */
  preferences (userId: string): Promise<Preferences>
  /** Sets a room preference (fields left out stay); a row back to all defaults is removed. */
  setRoom (userId: string, roomId: string, change: { level?: RoomLevel | null | undefined, mutedUntil?: number | null | undefined }): Promise<RoomPreference>
  /** Every user's preference for one room, for deciding who a message notifies. */
  roomPreferences (roomId: string): Promise<Map<string, RoomPreference>>
  /** Settings of these users (defaults for those who never set any). */
  settings (userIds: readonly string[]): Promise<Map<string, NotificationSettings>>
  setSettings (userId: string, change: Partial<NotificationSettings>): Promise<NotificationSettings>
  /** Every user id, for broadcasts to all. */
  allUserIds (): Promise<string[]>
}

/** A price alert and whose it is. */
export interface AlertRecord extends Alert {
  userId: string
}

export interface AlertStore {
  /**
   * Stores a pending alert (a crossing unless `kind` says a move, with its `pct` and `minutes`).
   * Throws a `conflict` AppError when the user already has `maxPending` pending alerts (counted
   * and inserted in one transaction, so concurrent creates cannot overshoot).
   */
  create (input: { userId: string, symbol: string, direction: AlertDirection, price: number, now: number, maxPending: number, kind?: AlertKind, pct?: number, minutes?: number }): Promise<AlertRecord>
  /** The user's pending (not yet triggered) alerts, oldest first. */
  listPending (userId: string): Promise<AlertRecord[]>
  /** The user's fired alerts, the latest fired first, at most `limit`, with `firedAt` and `firedPrice`. */
  listFired (userId: string, limit: number): Promise<AlertRecord[]>
  /** Every pending alert, for the in-memory index at start. */
  allPending (): Promise<AlertRecord[]>
  /** Deletes one of the user's pending alerts; false when there is none with that id (or it is someone else's). */
  delete (id: string, userId: string): Promise<boolean>
  /** Deletes one of the user's fired alerts; false when there is none with that id. */
  deleteFired (id: string, userId: string): Promise<boolean>
  /**
   * Marks a pending alert triggered (by a trade at `price`, kept when given); true only for the
   * one caller that did it (a deleted or fired alert gives false).
   */
  markTriggered (id: string, now: number, price?: number): Promise<boolean>
  /**
   * Makes one of the user's fired alerts pending again, created at `now` (a move armed again at
   * `priceOf(symbol)`); null when there is no such fired alert. Throws `conflict` as create does past `maxPending`.
   */
  rearm (input: { id: string, userId: string, now: number, priceOf: (symbol: string) => number, maxPending: number }): Promise<AlertRecord | null>
}

/** A watchlist and whose it is. */
export interface WatchlistRecord extends Watchlist {
  userId: string
}

/** What a change of a user's watchlists gives back: the list changed, and the user's new change number. */
export interface WatchlistWrite {
  list: Watchlist
  rev: number
}

export interface WatchlistStore {
  /** The user's lists in their order, and the user's change number (0 before any change). */
  list (userId: string): Promise<{ lists: Watchlist[], rev: number }>
  /** A new list, last in the order, version 1. `conflict` when the user has `maxLists` already. */
  create (input: { userId: string, name: string, symbols: string[], now: number, maxLists: number }): Promise<WatchlistWrite>
  /**
   * Renames a list or replaces its symbols, the version growing by one. `not_found` when the user
   * has no such list; `conflict` when `version` is not its current one (nothing changes).
   */
  update (input: { userId: string, id: string, version: number, name?: string | undefined, symbols?: string[] | undefined }): Promise<WatchlistWrite>
  /** Deletes a list; the new change number, or null when the user has no such list. */
  delete (userId: string, id: string): Promise<number | null>
  /** Moves a list to `index` in the user's order (past the end: last); the new change number, or null when there is no such list. */
  move (userId: string, id: string, index: number): Promise<number | null>
  /**
   * Adds symbols to the user's first list (made, named `name`, when there is none), skipping those
   * already in it and stopping at `maxSymbols`: merging the same symbols again changes nothing
   * (and takes no version nor change number).
   */
  merge (input: { userId: string, name: string, symbols: string[], now: number, maxSymbols: number }): Promise<WatchlistWrite>
}

/** An image as stored, without its bytes. */
export interface ImageRecord extends Image {
  roomId: string
  uploaderId: string
  createdAt: number
  /** The message it was posted in; null while it waits to be sent. */
  messageId: string | null
}

/** A user's avatar as stored, without its bytes. */
export interface AvatarRecord extends Image {
  userId: string
  createdAt: number
}

export interface ImageStore {
  /**
   * Stores an uploaded image, not in a message yet. `conflict` when the user already has
   * `maxPending` unsent images uploaded after `pendingAfter` (counted and inserted in one
   * transaction, so concurrent uploads cannot overshoot).
   */
  create (input: { roomId: string, uploaderId: string, mime: ImageMime, width: number, height: number, bytes: Uint8Array, now: number, maxPending: number, pendingAfter: number }): Promise<ImageRecord>
  /** The image without its bytes, and whether `userId` is a member of its room; null when there is none. */
  find (imageId: string, userId: string): Promise<(ImageRecord & { member: boolean }) | null>
  /** The image's bytes, or null when there is none. */
  bytes (imageId: string): Promise<Uint8Array | null>
  /** Deletes the images never put in a message that were uploaded at or before `uploadedBy`; returns how many. */
  deleteUnsent (uploadedBy: number): Promise<number>
  /**
   * Makes this the user's avatar under a new id, in one statement: the avatar before (if any)
   * and its bytes are gone, so its id finds nothing from then on.
   */
  setAvatar (input: { userId: string, mime: ImageMime, width: number, height: number, bytes: Uint8Array, now: number }): Promise<AvatarRecord>
  /** Deletes the user's avatar with its bytes; whether there was one. */
  removeAvatar (userId: string): Promise<boolean>
  /** The avatar without its bytes; null when there is none (never was, replaced or removed). */
  findAvatar (avatarId: string): Promise<AvatarRecord | null>
  /** The avatar's bytes, or null when there is none. */
  avatarBytes (avatarId: string): Promise<Uint8Array | null>
}

/** Everything the app persists, behind one interface per feature. */
export interface Storage {
  kind: 'sqlite' | 'postgres'
  users: UserStore
  sessions: SessionStore
  chat: ChatStore
  notifications: NotificationStore
  alerts: AlertStore
  images: ImageStore
  watchlists: WatchlistStore
  /** Resolves when the database answers a trivial query. */
  ping (): Promise<void>
  close (): Promise<void>
}
