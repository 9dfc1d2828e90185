/**
 * Every rate limit and size limit of the protocol, in one place: the server enforces these
 * numbers, the protocol reference states them, and tests read them from here.
 */

/** A token bucket: `burst` at once, then `perSecond` on average. */
export interface Budget {
  burst: number
  perSecond: number
  /** What is counted, and per what (for the protocol reference). */
  what?: string
  /** The socket commands that take from this budget: answered `rate_limited` once it is spent. */
  commands?: readonly string[]
}

export const Limits = {
  /**
   * Cost units per socket, drawn by every command (each command's `cost` in the catalog; an
   * unknown command costs 1). A refused command is answered `rate_limited` with `retryAfterMs`.
   */
  commandsPerSocket: { burst: 60, perSecond: 20, what: 'cost units of commands, per socket' },
  /** Cost units per signed-in user, across all of that user's sockets and namespaces. */
  commandsPerUser: { burst: 120, perSecond: 40, what: 'cost units of commands, per user (all of the user\'s sockets)' },
  /** Cost units per address for sockets with no user (anonymous `/ticker` viewers), across all of them. */
  commandsPerAddress: { burst: 240, perSecond: 60, what: 'cost units of commands, per address, for sockets without a user' },
  /** Refused commands a socket may send before it is disconnected (the budget refills as it waits). */
  refusalsPerSocket: { burst: 20, perSecond: 1, what: 'refused commands per socket before it is disconnected' },
  /** `chat:send` per user. */
  chatSend: { burst: 20, perSecond: 10, what: '`chat:send` per user', commands: ['chat:send'] },
  /** `chat:react` per user: reactions added or taken back. */
  chatReact: { burst: 30, perSecond: 5, what: '`chat:react` per user', commands: ['chat:react'] },
  /** `chat:search` per user: each one reads an index. */
  chatSearch: { burst: 10, perSecond: 1, what: '`chat:search` per user', commands: ['chat:search'] },
  /** `POST /api/rooms/:roomId/images` per user: each one stores up to `IMAGE_MAX_BYTES`. */
  imageUpload: { burst: 10, perSecond: 1 / 6, what: 'images uploaded, per user' },
  /** Avatars set or removed per user: each change is pushed to every room the user belongs to. */
  avatarChange: { burst: 5, perSecond: 1 / 30, what: 'avatars set or removed (`PUT` and `DELETE /api/profile/avatar`), per user' },
  /** Usernames looked up (invites, direct rooms) per user: who exists is not to be enumerated. */
  usernameLookup: { burst: 20, perSecond: 1 / 5, what: 'usernames looked up (invite, direct room), per user' },
  /**
   * People directory pages (`GET /api/people`) per user: a page lists up to 20 people, so one user
   * learns who exists at most 10 people a second after a burst, not the whole directory at once.
   */
  peopleDirectory: { burst: 20, perSecond: 1 / 2, what: 'people directory pages (`GET /api/people`), per user' },
  /** Profile look-ups by id (`POST /api/people/profiles`, up to 100 ids each) per user. */
  profileLookup: { burst: 30, perSecond: 2, what: 'profile look-ups by id (`POST /api/people/profiles`), per user' },
  /** Profile changes per user: each one is pushed to every room the user belongs to. */
  profileUpdate: { burst: 10, perSecond: 1 / 6, what: 'profile changes (`PATCH /api/profile`), per user' },
  /** Room changes per user: renames, topics, roles, removals and leaving. */
  roomChange: {
    burst: 20,
    perSecond: 1 / 3,
    what: '`chat:room-update`, `chat:member-role`, `chat:member-remove` and `chat:room-leave` together, per user',
    commands: ['chat:room-update', 'chat:member-role', 'chat:member-remove', 'chat:room-leave']
  },
  /** Rooms created and direct rooms opened per user. */
  roomCreate: { burst: 30, perSecond: 1 / 2, what: 'rooms created and direct rooms opened, per user' },
  /** Sign-in attempts per account and address together, so failures elsewhere never lock the owner out. */
  login: { burst: 10, perSecond: 1 / 30, what: 'sign-in attempts, per account and address' },
  /** Sign-in attempts per address, whatever the account (room left for people behind one NAT). */
  loginAddress: { burst: 30, perSecond: 1 / 10, what: 'sign-in attempts, per address, any account' },
  /** New accounts per address (each costs a deliberately slow password hash). */
  register: { burst: 30, perSecond: 1 / 10, what: 'new accounts, per address' },
  /** `away:summary` per user: each one reads the user's rooms, inbox, alerts and watchlists. */
  awaySummary: { burst: 5, perSecond: 1 / 20, what: '`away:summary` per user', commands: ['away:summary'] },
  /** `POST /api/notifications` per publish key. */
  publish: { burst: 50, perSecond: 10, what: '`POST /api/notifications` calls, per publish key' }
} as const satisfies Record<string, Budget>
export type LimitName = keyof typeof Limits

/** Different emoji one message may carry; a new one past this is refused (`conflict`), adding to one there is not. */
export const REACTIONS_PER_MESSAGE = 20

/** The largest image accepted, in bytes (the upload route's own body limit; every other body has `MAX_FRAME_BYTES`). */
export const IMAGE_MAX_BYTES = 10 * 1024 * 1024
/** Uploaded images not yet in a message, per user; one more is refused (`conflict`) until one is sent or expires. */
export const IMAGES_PENDING_PER_USER = 10
/** How long an uploaded image waits to be put in a message before it expires (and its bytes are purged). */
export const IMAGE_PENDING_TTL_MS = 60 * 60 * 1000
/** The most pixels (width x height) an image may have: what every viewer's browser decodes. */
export const IMAGE_MAX_PIXELS = 8192 * 8192
/** The largest avatar accepted, in bytes (browsers send a 256-pixel square, a few dozen KiB). */
export const AVATAR_MAX_BYTES = 1024 * 1024
/** The longest side an avatar may have, in pixels: every viewer decodes it beside every message. */
export const AVATAR_MAX_SIDE = 1024
/** Members a room may have for anyone to use `@room` in it; past this, only its owner and admins may. */
export const ROOM_MENTION_OPEN_LIMIT = 10

/** The largest frame (or HTTP body) accepted, in bytes; a larger Socket.IO frame closes the connection. */
export const MAX_FRAME_BYTES = 64 * 1024

/**
 * Catch-up and history pages stop adding messages past this much text (in UTF-16 units), and
 * say `hasMore`: one answer stays far below what a connection may have waiting (`SOCKET_BUFFER_KB`).
 */
export const PAGE_TEXT_BUDGET = 128 * 1024
