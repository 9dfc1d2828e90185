import { chatCommands, MESSAGE_MAX_LENGTH } from '../../shared/chat.ts'
import { MAX_FRAME_BYTES } from '../../shared/limits.ts'
import { notificationCommands } from '../../shared/notifications.ts'
import { Namespaces, PROTOCOL_VERSION } from '../../shared/protocol.ts'
import { MAX_SYMBOLS_PER_CALL, tickerCommands } from '../../shared/ticker.ts'
import type { Expectation } from './frame-runner.ts'
import { UNREACHABLE_PRICE, type Arena, type NamespacePath } from './start-arena.ts'

/** A command as a client library would send it: an event name and payloads, on the sender's connection to `ns`. */
export interface CommandEntry {
  kind: 'command'
  name: string
  ns: NamespacePath
  who: 'mallory' | 'anonymous'
  /** The event's arguments: its name first (any JSON value), then the payloads. */
  args: unknown[]
  ack: boolean
  expect: Expectation
}

/** Frames written by hand on a fresh connection: Engine.IO and Socket.IO packets as text, or binary. */
export interface RawEntry {
  kind: 'raw'
  name: string
  /** The namespace connected to (as mallory) before the frames; null for none. */
  ns: NamespacePath | null
  frames: (string | Buffer)[]
  /** The ack id the frames ask for, when one is expected. */
  ackId?: number
  /** The namespace whose CONNECT answer is the outcome (for handshake frames). */
  connectTo?: string
  /** Another namespace, connected too, where the probe proving silence goes (the frames may leave `ns`). */
  probeNs?: NamespacePath
  expect: Expectation
}

export type CorpusEntry = CommandEntry | RawEntry

/** Nested arrays `depth` deep, as JSON text (JSON.stringify itself would recurse that deep). */
const deepArrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth)
const deepObjects = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)

/** A copy of `payload` with an own property `key` (an object literal `{ __proto__: x }` would set the prototype instead). */
const withOwn = (payload: object, key: string, value: unknown) => {
  const copy = JSON.parse(JSON.stringify(payload))
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true })
  return copy
}

/**
 * The hand-written corpus: every command of every namespace with payloads an attacker would try,
 * then Engine.IO and Socket.IO frames no client library sends. Each entry says what it must get.
 * The attacker is `mallory`; `carol` is the victim whose rooms, messages, notifications and
 * alerts she reaches for; `alice` and `bob` chat in `arena` meanwhile.
 */
export function hostileCorpus (arena: Arena): CorpusEntry[] {
  const { rooms, messages, notifications, alerts, symbols, users } = arena
  const symbol = symbols[0]!
  const token = users.mallory.token
  let clientIds = 0
  const cid = () => `hostile-${++clientIds}`
  const entries: CorpusEntry[] = []

  const command = (ns: NamespacePath, event: unknown, name: string, payload: unknown, expect: Expectation, { ack = true, who = 'mallory' as CommandEntry['who'] } = {}) =>
    entries.push({ kind: 'command', name, ns, who, args: [event, payload], ack, expect })
  const chat = (event: keyof typeof chatCommands, name: string, payload: unknown, expect: Expectation, options?: { ack?: boolean }) =>
    command(Namespaces.chat, event, name, payload, expect, options)
  const notification = (event: keyof typeof notificationCommands, name: string, payload: unknown, expect: Expectation, options?: { ack?: boolean }) =>
    command(Namespaces.notifications, event, name, payload, expect, options)
  const ticker = (event: keyof typeof tickerCommands, name: string, payload: unknown, expect: Expectation, options?: { ack?: boolean, who?: CommandEntry['who'] }) =>
    command(Namespaces.ticker, event, name, payload, expect, options)
  const raw = (name: string, ns: NamespacePath | null, frames: (string | Buffer)[], expect: Expectation, extra: Pick<RawEntry, 'ackId' | 'connectTo' | 'probeNs'> = {}) =>
    entries.push({ kind: 'raw', name, ns, frames, expect, ...extra })
  /** Frames on a connection to /chat: most raw frames go there. */
  const onChat = (name: string, frames: (string | Buffer)[], expect: Expectation, extra?: Pick<RawEntry, 'ackId' | 'probeNs'>) =>
    raw(name, Namespaces.chat, frames, expect, extra)

  // A valid payload of every command, for the shapes every command must refuse alike (below).
  const valid: Record<string, [NamespacePath, unknown]> = {
    'chat:join': [Namespaces.chat, { roomId: rooms.arena }],
    'chat:leave': [Namespaces.chat, { roomId: rooms.arena }],
    'chat:send': [Namespaces.chat, { roomId: rooms.arena, text: 'hello', clientId: cid() }],
    'chat:edit': [Namespaces.chat, { messageId: messages.mallory[0], text: 'edited' }],
    'chat:delete': [Namespaces.chat, { messageId: messages.mallory[1] }],
    'chat:react': [Namespaces.chat, { messageId: messages.mallory[0], emoji: '👍', on: true }],
    'chat:history': [Namespaces.chat, { roomId: rooms.arena }],
    'chat:typing': [Namespaces.chat, { roomId: rooms.arena, typing: true }],
    'chat:read': [Namespaces.chat, { roomId: rooms.arena, seq: 1 }],
    'chat:search': [Namespaces.chat, { query: 'hello' }],
    'chat:mark-unread': [Namespaces.chat, { roomId: rooms.arena, seq: 1 }],
    'chat:focus': [Namespaces.chat, { roomId: rooms.arena, visible: true }],
    'chat:thread': [Namespaces.chat, { roomId: rooms.arena, rootId: messages.alice }],
    'chat:follow-thread': [Namespaces.chat, { roomId: rooms.arena, rootId: messages.alice, follow: false }],
    'chat:room-update': [Namespaces.chat, { roomId: rooms.arena, topic: 'mine now' }],
    'chat:member-role': [Namespaces.chat, { roomId: rooms.arena, userId: users.mallory.user.id, role: 'admin' }],
    'chat:member-remove': [Namespaces.chat, { roomId: rooms.arena, userId: users.alice.user.id }],
    'chat:room-leave': [Namespaces.chat, { roomId: rooms.carol }],
    'notification:list': [Namespaces.notifications, {}],
    'notification:mark-read': [Namespaces.notifications, { all: true }],
    'notification:mark-unread': [Namespaces.notifications, { id: notifications.mallory[0] }],
    'notification:done': [Namespaces.notifications, { ids: [notifications.mallory[0]], done: false }],
    'notification:preferences': [Namespaces.notifications, {}],
    'notification:set-room': [Namespaces.notifications, { roomId: rooms.arena, level: 'mentions' }],
    'notification:set-settings': [Namespaces.notifications, { desktopKinds: ['dm'] }],
    'away:summary': [Namespaces.notifications, { since: 0 }],
    'ticker:subscribe': [Namespaces.ticker, { symbols: [symbol] }],
    'ticker:unsubscribe': [Namespaces.ticker, { all: true }],
    'ticker:sparklines': [Namespaces.ticker, { symbols: [symbol] }],
    'ticker:candles': [Namespaces.ticker, { symbol, interval: '1m', limit: 10 }],
    'ticker:alert-create': [Namespaces.ticker, { symbol, direction: 'above', price: UNREACHABLE_PRICE }],
    'ticker:alert-list': [Namespaces.ticker, {}],
    'ticker:alert-delete': [Namespaces.ticker, { id: alerts.mallory[0] }],
    'ticker:alert-fired': [Namespaces.ticker, {}],
    'ticker:alert-rearm': [Namespaces.ticker, { id: alerts.carol }],
    'ticker:watchlist-list': [Namespaces.ticker, {}],
    'ticker:watchlist-create': [Namespaces.ticker, { name: 'mine', symbols: [symbol] }],
    'ticker:watchlist-update': [Namespaces.ticker, { id: 'no-such-list', version: 1, name: 'x' }],
    'ticker:watchlist-delete': [Namespaces.ticker, { id: 'no-such-list' }],
    'ticker:watchlist-move': [Namespaces.ticker, { id: 'no-such-list', index: 0 }],
    'ticker:watchlist-import': [Namespaces.ticker, { symbols: [symbol] }]
  }
  for (const [event, [ns, payload]] of Object.entries(valid)) {
    const refuse = (name: string, args: unknown[]) => entries.push({ kind: 'command', name, ns, who: 'mallory', args: [event, ...args], ack: true, expect: 'invalid_payload' })
    refuse('no payload at all', [])
    refuse('two payloads', [payload, payload])
    refuse('a null payload', [null])
    refuse('the payload inside an array', [[payload]])
    refuse('the payload as a JSON string', [JSON.stringify(payload)])
    refuse('an own "__proto__" key (prototype pollution)', [withOwn(payload as object, '__proto__', { polluted: true, admin: true })])
    refuse('a "constructor.prototype" key (prototype pollution)', [withOwn(payload as object, 'constructor', { prototype: { polluted: true } })])
  }

  // /chat
  chat('chat:join', 'the victim\'s private room (authorization)', { roomId: rooms.carol }, 'forbidden')
  chat('chat:join', 'the direct room of two other users (authorization)', { roomId: rooms.direct }, 'forbidden')
  chat('chat:join', 'a room that does not exist', { roomId: 'no-such-room' }, 'not_found')
  chat('chat:join', 'a room id "__proto__"', { roomId: '__proto__' }, 'not_found')
  chat('chat:join', 'a room id with a NUL character', { roomId: `${rooms.arena}\u0000` }, 'not_found')
  chat('chat:join', 'an empty room id', { roomId: '' }, 'invalid_payload')
  chat('chat:join', 'a room id over 64 characters', { roomId: 'r'.repeat(65) }, 'invalid_payload')
  chat('chat:join', 'a number as the room id', { roomId: 42 }, 'invalid_payload')
  chat('chat:join', 'a query object as the room id (injection)', { roomId: { $ne: null } }, 'invalid_payload')
  chat('chat:join', 'a negative since', { roomId: rooms.arena, since: -1 }, 'invalid_payload')
  chat('chat:join', 'a fractional since', { roomId: rooms.arena, since: 1.5 }, 'invalid_payload')
  chat('chat:join', 'since as the string "NaN"', { roomId: rooms.arena, since: 'NaN' }, 'invalid_payload')
  chat('chat:join', 'since as the string "0"', { roomId: rooms.arena, since: '0' }, 'invalid_payload')
  chat('chat:join', 'a huge since (1e308 is an integer: nothing after it)', { roomId: rooms.arena, since: 1e308 }, 'ok')

  chat('chat:leave', 'the victim\'s room (leaving what one does not follow changes nothing)', { roomId: rooms.carol }, 'ok')
  chat('chat:leave', 'a null room id', { roomId: null }, 'invalid_payload')
  chat('chat:leave', 'an extra field', { roomId: rooms.arena, everyone: true }, 'invalid_payload')

  const send = (name: string, fields: object, expect: Expectation, options?: { ack?: boolean }) =>
    chat('chat:send', name, { roomId: rooms.arena, text: 'hi', clientId: cid(), ...fields }, expect, options)
  send('a zero-width space as the whole text', { text: '\u200b' }, 'invalid_payload')
  send('only zero-width characters and a BOM', { text: '\u200b\u200c\u200d\u2060\ufeff' }, 'invalid_payload')
  send('only white space', { text: ' \n\t\u00a0\u3000 ' }, 'invalid_payload')
  send('a lone high surrogate inside the text', { text: 'a\ud800b' }, 'invalid_payload')
  send('a lone low surrogate as the text', { text: '\udc00' }, 'invalid_payload')
  send('a combining mark on its own', { text: '\u0301\u0301' }, 'invalid_payload')
  send('a Hangul filler', { text: '\u3164' }, 'invalid_payload')
  send('a blank Braille pattern', { text: '\u2800' }, 'invalid_payload')
  send('only a right-to-left override', { text: '\u202e' }, 'invalid_payload')
  send('an empty text', { text: '' }, 'invalid_payload')
  send(`a text of ${MESSAGE_MAX_LENGTH + 1} characters`, { text: 'x'.repeat(MESSAGE_MAX_LENGTH + 1) }, 'invalid_payload')
  send('a number as the text', { text: 42 }, 'invalid_payload')
  send('an array as the text', { text: ['hi'] }, 'invalid_payload')
  send('an object with toString as the text', { text: { toString: 'hi' } }, 'invalid_payload')
  send('a client id of 5 characters', { clientId: 'short' }, 'invalid_payload')
  send('a client id with spaces', { clientId: 'has spaces in it' }, 'invalid_payload')
  send('a client id with a path', { clientId: '../../etc/passwd' }, 'invalid_payload')
  send('a client id over 64 characters', { clientId: 'c'.repeat(65) }, 'invalid_payload')
  send('no client id', { clientId: undefined }, 'invalid_payload')
  send('an author field (impersonating the victim)', { author: { id: users.carol.user.id, username: 'carol' } }, 'invalid_payload')
  send('a seq field', { seq: 1 }, 'invalid_payload')
  send('the victim\'s private room (authorization)', { roomId: rooms.carol }, 'forbidden')
  send('the direct room of two other users (authorization)', { roomId: rooms.direct }, 'forbidden')
  send('a room that does not exist', { roomId: 'no-such-room' }, 'not_found')
  send('a valid message without an ack: not run, nothing stored', {}, 'silence', { ack: false })

  chat('chat:edit', 'the victim\'s message in her private room (authorization)', { messageId: messages.carol, text: 'mine now' }, 'forbidden')
  chat('chat:edit', 'another member\'s message in a shared room (authorization)', { messageId: messages.alice, text: 'mine now' }, 'forbidden')
  chat('chat:edit', 'a message in a direct room of others (authorization)', { messageId: messages.direct, text: 'mine now' }, 'forbidden')
  chat('chat:edit', 'a message that does not exist', { messageId: 'no-such-message', text: 'edited' }, 'not_found')
  chat('chat:react', 'a message in the victim\'s private room (authorization)', { messageId: messages.carol, emoji: '👍' }, 'forbidden')
  chat('chat:react', 'a message in a direct room of others (authorization)', { messageId: messages.direct, emoji: '👍' }, 'forbidden')
  chat('chat:react', 'a message that does not exist', { messageId: 'no-such-message', emoji: '👍' }, 'not_found')
  chat('chat:react', 'one\'s own deleted message', { messageId: messages.malloryDeleted, emoji: '👍' }, 'conflict')
  chat('chat:react', 'text instead of an emoji', { messageId: messages.alice, emoji: 'lol' }, 'invalid_payload')
  chat('chat:react', 'two emoji at once', { messageId: messages.alice, emoji: '👍👍' }, 'invalid_payload')
  chat('chat:react', 'a userId field (reacting for someone else)', { messageId: messages.alice, emoji: '👍', userId: users.carol.user.id }, 'invalid_payload')
  chat('chat:edit', 'one\'s own deleted message', { messageId: messages.malloryDeleted, text: 'back from the dead' }, 'conflict')
  chat('chat:edit', 'one\'s own message with a zero-width text', { messageId: messages.mallory[0], text: '\u200b' }, 'invalid_payload')
  chat('chat:edit', 'one\'s own message with a lone surrogate', { messageId: messages.mallory[0], text: '\ud83d' }, 'invalid_payload')
  chat('chat:edit', 'one\'s own message with an authorId field', { messageId: messages.mallory[0], text: 'x', authorId: users.carol.user.id }, 'invalid_payload')
  chat('chat:edit', 'a query object as the message id', { messageId: { $ne: null }, text: 'x' }, 'invalid_payload')

  chat('chat:delete', 'the victim\'s message (authorization)', { messageId: messages.carol }, 'forbidden')
  chat('chat:delete', 'another member\'s message (authorization)', { messageId: messages.alice }, 'forbidden')
  chat('chat:delete', 'a message that does not exist', { messageId: 'no-such-message' }, 'not_found')
  chat('chat:delete', 'an array as the message id', { messageId: [] }, 'invalid_payload')
  chat('chat:delete', 'one\'s own message with a "hard" flag', { messageId: messages.mallory[1], hard: true }, 'invalid_payload')

  chat('chat:history', 'the victim\'s private room (authorization)', { roomId: rooms.carol }, 'forbidden')
  chat('chat:history', 'the direct room of two other users (authorization)', { roomId: rooms.direct }, 'forbidden')
  chat('chat:history', 'a room that does not exist', { roomId: 'no-such-room' }, 'not_found')
  for (const [what, limit] of [['0', 0], ['101', 101], ['1e308', 1e308], ['-1', -1], ['"50"', '50'], ['1.5', 1.5]] as const) {
    chat('chat:history', `a limit of ${what}`, { roomId: rooms.arena, limit }, 'invalid_payload')
  }
  chat('chat:history', 'a negative before', { roomId: rooms.arena, before: -1 }, 'invalid_payload')
  chat('chat:history', 'a null before', { roomId: rooms.arena, before: null }, 'invalid_payload')

  chat('chat:typing', 'in the victim\'s room, which this socket does not follow', { roomId: rooms.carol, typing: true }, 'forbidden')
  chat('chat:typing', 'typing as the string "yes"', { roomId: rooms.arena, typing: 'yes' }, 'invalid_payload')
  chat('chat:typing', 'without an ack (allowed), in the victim\'s room: refused in silence', { roomId: rooms.carol, typing: true }, 'silence', { ack: false })
  chat('chat:typing', 'without an ack (allowed), with an invalid payload: refused in silence', { roomId: rooms.carol, typing: 1 }, 'silence', { ack: false })

  chat('chat:read', 'the victim\'s private room (authorization)', { roomId: rooms.carol, seq: 1 }, 'forbidden')
  chat('chat:read', 'the direct room of two other users (authorization)', { roomId: rooms.direct, seq: 1 }, 'forbidden')
  chat('chat:read', 'a room that does not exist', { roomId: 'no-such-room', seq: 1 }, 'not_found')
  chat('chat:read', 'a negative seq', { roomId: rooms.arena, seq: -1 }, 'invalid_payload')
  chat('chat:read', 'seq as the string "Infinity"', { roomId: rooms.arena, seq: 'Infinity' }, 'invalid_payload')
  chat('chat:read', 'a huge seq (the marker stops at the room\'s last seq)', { roomId: rooms.arena, seq: 1e308 }, 'ok')
  chat('chat:focus', 'the victim\'s private room (it only spares one\'s own notifications)', { roomId: rooms.carol, visible: true }, 'ok')
  chat('chat:focus', 'visible as the string "true"', { roomId: rooms.arena, visible: 'true' }, 'invalid_payload')
  chat('chat:focus', 'no visible', { roomId: rooms.arena }, 'invalid_payload')
  chat('chat:focus', 'a room id over 64 characters', { roomId: 'r'.repeat(65), visible: true }, 'invalid_payload')

  chat('chat:search', 'an SQL injection in the words', { query: "x' OR 1=1; DROP TABLE messages; --" }, 'ok')
  chat('chat:search', 'FTS5 and tsquery syntax as words', { query: '"a" NEAR(b c) * -d x:* &(f | g)' }, 'ok')
  chat('chat:search', 'the victim\'s private room by name (finds nothing of hers: see chat-search.test.ts)', { query: 'secret in:carols-room' }, 'ok')
  chat('chat:search', 'nothing to look for', { query: '*** ---' }, 'invalid_payload')
  chat('chat:search', 'a day that does not exist', { query: 'x before:2026-02-30' }, 'invalid_payload')
  chat('chat:search', 'a cursor this search did not give', { query: 'x', cursor: '1 OR 1=1' }, 'invalid_payload')
  chat('chat:search', 'a query object', { query: { $regex: '.*' } }, 'invalid_payload')
  chat('chat:search', 'a query over 200 characters', { query: 'x'.repeat(201) }, 'invalid_payload')
  chat('chat:search', 'a limit of 51', { query: 'x', limit: 51 }, 'invalid_payload')
  chat('chat:mark-unread', 'the victim\'s private room (authorization)', { roomId: rooms.carol, seq: 1 }, 'forbidden')
  chat('chat:mark-unread', 'the direct room of two other users (authorization)', { roomId: rooms.direct, seq: 1 }, 'forbidden')
  chat('chat:mark-unread', 'a room that does not exist', { roomId: 'no-such-room', seq: 1 }, 'not_found')
  chat('chat:mark-unread', 'a seq of 0 (no message has it)', { roomId: rooms.arena, seq: 0 }, 'invalid_payload')
  chat('chat:mark-unread', 'a huge seq (the marker stops at the room\'s last seq)', { roomId: rooms.arena, seq: 1e308 }, 'ok')

  chat('chat:thread', 'a thread in the victim\'s private room (authorization)', { roomId: rooms.carol, rootId: messages.carol }, 'forbidden')
  chat('chat:thread', 'a thread in the direct room of two other users (authorization)', { roomId: rooms.direct, rootId: messages.direct }, 'forbidden')
  chat('chat:thread', 'the victim\'s message as the root of a thread in a shared room', { roomId: rooms.arena, rootId: messages.carol }, 'not_found')
  chat('chat:thread', 'a limit of 101', { roomId: rooms.arena, rootId: messages.alice, limit: 101 }, 'invalid_payload')
  chat('chat:follow-thread', 'a thread in the victim\'s private room (authorization)', { roomId: rooms.carol, rootId: messages.carol, follow: true }, 'forbidden')
  chat('chat:follow-thread', 'follow as the string "yes"', { roomId: rooms.arena, rootId: messages.alice, follow: 'yes' }, 'invalid_payload')
  send('a reply in a thread of the victim\'s private room (authorization)', { roomId: rooms.carol, threadRootId: messages.carol }, 'forbidden')
  send('alsoInRoom as the string "true"', { threadRootId: messages.alice, alsoInRoom: 'true' }, 'invalid_payload')
  send('an image id that is no upload of hers', { imageId: 'no-such-image' }, 'not_found')
  chat('chat:room-update', 'a rename by a plain member (authorization: owner and admins only)', { roomId: rooms.arena, name: 'mallorys' }, 'forbidden')
  chat('chat:room-update', 'the victim\'s private room (authorization)', { roomId: rooms.carol, topic: 'owned' }, 'forbidden')
  chat('chat:room-update', 'an empty name', { roomId: rooms.arena, name: '' }, 'invalid_payload')
  chat('chat:member-role', 'herself made admin by a plain member (authorization: the owner only)', { roomId: rooms.arena, userId: users.mallory.user.id, role: 'admin' }, 'forbidden')
  chat('chat:member-role', 'the role "owner"', { roomId: rooms.arena, userId: users.mallory.user.id, role: 'owner' }, 'invalid_payload')
  chat('chat:member-remove', 'the room\'s owner, by a plain member (authorization)', { roomId: rooms.arena, userId: users.alice.user.id }, 'forbidden')
  chat('chat:member-remove', 'the victim from her own private room (authorization)', { roomId: rooms.carol, userId: users.carol.user.id }, 'forbidden')
  chat('chat:room-leave', 'a room that does not exist', { roomId: 'no-such-room' }, 'not_found')
  chat('chat:room-leave', 'for the victim (userId field)', { roomId: rooms.arena, userId: users.carol.user.id }, 'invalid_payload')

  // /notifications
  notification('notification:list', 'before the victim\'s notification (an empty page: not hers)', { before: notifications.carol[0] }, 'ok')
  for (const [what, limit] of [['0', 0], ['101', 101], ['"10"', '10'], ['1e308', 1e308]] as const) {
    notification('notification:list', `a limit of ${what}`, { limit }, 'invalid_payload')
  }
  notification('notification:list', 'an empty before', { before: '' }, 'invalid_payload')
  notification('notification:list', 'a before over 64 characters', { before: 'n'.repeat(65) }, 'invalid_payload')
  notification('notification:list', 'a userId field (the victim\'s)', { userId: users.carol.user.id }, 'invalid_payload')
  notification('notification:mark-read', 'the victim\'s notification ids (ignored: not hers)', { ids: notifications.carol }, 'ok')
  notification('notification:mark-read', 'no ids', { ids: [] }, 'invalid_payload')
  notification('notification:mark-read', '101 ids (100 at most)', { ids: Array.from({ length: 101 }, (_, i) => `n${i}`) }, 'invalid_payload')
  notification('notification:mark-read', 'all: false', { all: false }, 'invalid_payload')
  notification('notification:mark-read', 'all: "true"', { all: 'true' }, 'invalid_payload')
  notification('notification:mark-read', 'all and ids together', { all: true, ids: notifications.mallory }, 'invalid_payload')
  notification('notification:mark-read', 'an empty id', { ids: [''] }, 'invalid_payload')
  notification('notification:mark-read', 'a number as an id', { ids: [123] }, 'invalid_payload')
  notification('notification:mark-read', 'all, for the victim (userId field)', { all: true, userId: users.carol.user.id }, 'invalid_payload')
  notification('notification:mark-unread', 'the victim\'s notification (authorization: not hers)', { id: notifications.carol[0] }, 'not_found')
  notification('notification:done', 'the victim\'s notification ids (ignored: not hers)', { ids: notifications.carol, done: true }, 'ok')
  notification('notification:preferences', 'the victim\'s (userId field)', { userId: users.carol.user.id }, 'invalid_payload')
  notification('notification:done', 'done as a string', { ids: notifications.mallory, done: 'yes' }, 'invalid_payload')
  notification('notification:set-room', 'the victim\'s private room (authorization)', { roomId: rooms.carol, level: 'nothing' }, 'forbidden')
  notification('notification:set-room', 'the direct room of two other users (authorization)', { roomId: rooms.direct, mutedUntil: 1 }, 'forbidden')
  notification('notification:set-room', 'a level that does not exist', { roomId: rooms.arena, level: 'loud' }, 'invalid_payload')
  notification('notification:set-room', 'for the victim (userId field)', { roomId: rooms.arena, level: 'all', userId: users.carol.user.id }, 'invalid_payload')
  notification('notification:set-settings', 'a time zone Intl does not know', { schedule: { timeZone: 'Mars/Olympus', days: [1], from: 0, to: 60 } }, 'invalid_payload')
  notification('notification:set-settings', 'a day 7', { schedule: { timeZone: 'UTC', days: [7], from: 0, to: 60 } }, 'invalid_payload')
  notification('notification:set-settings', 'a kind that does not exist', { desktopKinds: ['spam'] }, 'invalid_payload')
  notification('notification:mark-read', 'an empty object', {}, 'invalid_payload')
  notification('away:summary', 'since the epoch (counted from 7 days back, the asker\'s own rooms only)', { since: 0 }, 'ok')
  notification('away:summary', 'since 1e308 (the future: counted from now)', { since: 1e308 }, 'ok')
  notification('away:summary', 'the victim\'s (userId field)', { since: 0, userId: users.carol.user.id }, 'invalid_payload')
  notification('away:summary', 'a negative since', { since: -1 }, 'invalid_payload')
  notification('away:summary', 'since as a date string', { since: '2026-01-01' }, 'invalid_payload')
  notification('away:summary', 'no since', {}, 'invalid_payload')
  notification('notification:mark-read', 'all without an ack: not run, nothing marked', { all: true }, 'silence', { ack: false })

  // /ticker
  ticker('ticker:subscribe', 'no symbols', { symbols: [] }, 'invalid_payload')
  ticker('ticker:subscribe', `${MAX_SYMBOLS_PER_CALL + 1} symbols`, { symbols: Array(MAX_SYMBOLS_PER_CALL + 1).fill(symbol) }, 'invalid_payload')
  ticker('ticker:subscribe', 'a lower-case symbol', { symbols: ['abc'] }, 'invalid_payload')
  ticker('ticker:subscribe', 'a symbol of 11 characters', { symbols: ['ABCDEFGHIJK'] }, 'invalid_payload')
  ticker('ticker:subscribe', 'a string instead of a list', { symbols: symbol }, 'invalid_payload')
  ticker('ticker:subscribe', 'all: false', { all: false }, 'invalid_payload')
  ticker('ticker:subscribe', 'a symbol nobody lists', { symbols: ['ZZZZ'] }, 'not_found')
  ticker('ticker:subscribe', 'a listed symbol and one nobody lists', { symbols: [symbol, 'ZZZZ'] }, 'not_found')
  ticker('ticker:unsubscribe', 'all: 1', { all: 1 }, 'invalid_payload')
  ticker('ticker:unsubscribe', 'no symbols', { symbols: [] }, 'invalid_payload')
  ticker('ticker:unsubscribe', 'a symbol nobody lists (nothing to stop)', { symbols: ['ZZZZ'] }, 'ok')
  ticker('ticker:sparklines', `${MAX_SYMBOLS_PER_CALL + 1} symbols`, { symbols: Array(MAX_SYMBOLS_PER_CALL + 1).fill(symbol) }, 'invalid_payload')
  ticker('ticker:sparklines', 'a symbol nobody lists', { symbols: ['ZZZZ'] }, 'not_found')
  ticker('ticker:sparklines', 'all and symbols together', { all: true, symbols: [symbol] }, 'invalid_payload')
  ticker('ticker:sparklines', 'an empty object', {}, 'invalid_payload')
  ticker('ticker:candles', 'an interval of "1d"', { symbol, interval: '1d' }, 'invalid_payload')
  ticker('ticker:candles', 'a limit of 1001', { symbol, interval: '5s', limit: 1001 }, 'invalid_payload')
  ticker('ticker:candles', 'a limit of 0', { symbol, interval: '5s', limit: 0 }, 'invalid_payload')
  ticker('ticker:candles', 'a limit of 1e308', { symbol, interval: '5s', limit: 1e308 }, 'invalid_payload')
  ticker('ticker:candles', 'no interval', { symbol }, 'invalid_payload')
  ticker('ticker:candles', 'a symbol nobody lists', { symbol: 'ZZZZ', interval: '5s' }, 'not_found')
  const alert = { symbol, direction: 'above', price: UNREACHABLE_PRICE }
  for (const [what, price] of [['0', 0], ['-1', -1], ['1e9 (the maximum is below it)', 1e9], ['1e308', 1e308], ['"NaN"', 'NaN'], ['"100"', '100'], ['null', null]] as const) {
    ticker('ticker:alert-create', `a price of ${what}`, { ...alert, price }, 'invalid_payload')
  }
  ticker('ticker:alert-create', 'a direction of "sideways"', { ...alert, direction: 'sideways' }, 'invalid_payload')
  ticker('ticker:alert-create', 'a symbol nobody lists', { ...alert, symbol: 'ZZZZ' }, 'not_found')
  ticker('ticker:alert-create', 'a userId field (for the victim)', { ...alert, userId: users.carol.user.id }, 'invalid_payload')
  ticker('ticker:alert-create', 'one more alert than a user may have pending', alert, 'conflict')
  ticker('ticker:alert-create', 'a valid alert without an ack: not run, nothing stored', alert, 'silence', { ack: false })
  ticker('ticker:alert-create', 'by an anonymous viewer', alert, 'unauthorized', { who: 'anonymous' })
  ticker('ticker:alert-list', 'by an anonymous viewer', {}, 'unauthorized', { who: 'anonymous' })
  ticker('ticker:alert-list', 'the victim\'s, by userId field', { userId: users.carol.user.id }, 'invalid_payload')
  ticker('ticker:alert-delete', 'the victim\'s alert (as absent as a deleted one)', { id: alerts.carol }, 'not_found')
  ticker('ticker:alert-delete', 'an alert that does not exist', { id: 'no-such-alert' }, 'not_found')
  ticker('ticker:alert-delete', 'an empty id', { id: '' }, 'invalid_payload')
  ticker('ticker:alert-delete', 'a number as the id', { id: 123 }, 'invalid_payload')
  ticker('ticker:alert-delete', 'the victim\'s alert, by an anonymous viewer', { id: alerts.carol }, 'unauthorized', { who: 'anonymous' })

  ticker('ticker:alert-fired', 'by an anonymous viewer', {}, 'unauthorized', { who: 'anonymous' })
  ticker('ticker:alert-fired', 'the victim\'s, by userId field', { userId: users.carol.user.id }, 'invalid_payload')
  ticker('ticker:alert-rearm', 'the victim\'s alert (authorization: as absent as a deleted one)', { id: alerts.carol }, 'not_found')
  ticker('ticker:alert-rearm', 'the victim\'s alert, by an anonymous viewer', { id: alerts.carol }, 'unauthorized', { who: 'anonymous' })
  ticker('ticker:watchlist-list', 'by an anonymous viewer', {}, 'unauthorized', { who: 'anonymous' })
  ticker('ticker:watchlist-list', 'the victim\'s, by userId field', { userId: users.carol.user.id }, 'invalid_payload')
  ticker('ticker:watchlist-create', 'a name of 41 characters', { name: 'n'.repeat(41), symbols: [] }, 'invalid_payload')
  ticker('ticker:watchlist-create', 'a name with a line break', { name: 'a\nb', symbols: [] }, 'invalid_payload')
  ticker('ticker:watchlist-create', 'a symbol nobody lists', { name: 'odd', symbols: ['ZZZZ'] }, 'not_found')
  ticker('ticker:watchlist-create', 'by an anonymous viewer', { name: 'anon', symbols: [] }, 'unauthorized', { who: 'anonymous' })
  ticker('ticker:watchlist-update', 'a list that is not hers', { id: 'no-such-list', version: 1, symbols: [symbol] }, 'not_found')
  ticker('ticker:watchlist-update', 'a version as a string', { id: 'no-such-list', version: '1', symbols: [symbol] }, 'invalid_payload')
  ticker('ticker:watchlist-delete', 'a list that is not hers', { id: 'no-such-list' }, 'not_found')
  ticker('ticker:watchlist-move', 'a negative index', { id: 'no-such-list', index: -1 }, 'invalid_payload')
  ticker('ticker:watchlist-import', 'a symbol nobody lists (dropped: a list kept in a browser may name delisted ones)', { symbols: ['ZZZZ'] }, 'ok')
  ticker('ticker:watchlist-import', 'by an anonymous viewer', { symbols: [symbol] }, 'unauthorized', { who: 'anonymous' })

  // Event names that are no command.
  const odd = (ns: NamespacePath, event: unknown, name: string, expect: Expectation, ack = true) => command(ns, event, name, {}, expect, { ack })
  odd(Namespaces.chat, 'chat:SEND', 'a command name in the wrong case', 'not_found')
  odd(Namespaces.chat, 'chat:send ', 'a command name with a trailing space', 'not_found')
  odd(Namespaces.chat, 'ticker:subscribe', 'a /ticker command on /chat', 'not_found')
  odd(Namespaces.ticker, 'chat:send', 'a /chat command on /ticker', 'not_found')
  odd(Namespaces.notifications, 'ticker:alert-list', 'a /ticker command on /notifications', 'not_found')
  for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'error', '']) {
    odd(Namespaces.chat, name, `the event name ${JSON.stringify(name)}`, 'not_found')
  }
  odd(Namespaces.chat, 'x'.repeat(10_000), 'an event name of 10,000 characters', 'not_found')
  odd(Namespaces.notifications, 42, 'a numeric event name', 'not_found')
  odd(Namespaces.ticker, 1e308, 'the event name 1e308', 'not_found')
  odd(Namespaces.chat, 'chat:nope', 'an unknown command without an ack', 'silence', false)
  odd(Namespaces.ticker, 7, 'a numeric event name without an ack', 'silence', false)

  // Engine.IO frames (on a connection to /chat).
  onChat('an empty frame', [''], 'closed')
  onChat('an unknown Engine.IO packet type 7', ['7'], 'closed')
  onChat('a frame that is no packet at all', ['hello'], 'closed')
  onChat('a ping from the client (in Engine.IO 4 only the server pings)', ['2'], 'closed')
  onChat('a noop', ['6'], 'silence')
  onChat('an upgrade on a connection that already is a WebSocket', ['5'], 'silence')
  onChat('a pong nobody asked for', ['3probe'], 'silence')
  onChat('an Engine.IO close packet (the WebSocket close is what ends a WebSocket)', ['1'], 'silence')
  onChat('a message packet with no data', ['4'], 'closed')
  onChat('a binary frame before any packet that announced it', [Buffer.from('boo')], 'closed')
  onChat(`a text frame of ${MAX_FRAME_BYTES} bytes + 1 (over the frame limit)`, [`42/chat,1["chat:send",{"text":"${'x'.repeat(MAX_FRAME_BYTES)}"}]`], 'closed')
  onChat(`a binary frame of ${MAX_FRAME_BYTES} bytes + 1`, ['451-/chat,1["chat:send",{"_placeholder":true,"num":0}]', Buffer.alloc(MAX_FRAME_BYTES + 1)], 'closed')
  const atLimit = (text: string) => text + 'x'.repeat(MAX_FRAME_BYTES - Buffer.byteLength(text) - 3) + '"}]'
  onChat(`a text frame of exactly ${MAX_FRAME_BYTES} bytes (at the limit: read, and refused by its schema)`, [atLimit('42/chat,1["chat:history",{"roomId":"')], 'invalid_payload', { ackId: 1 })

  // Socket.IO packets (on a connection to /chat).
  onChat('an unknown Socket.IO packet type 9', ['49/chat,'], 'closed')
  onChat('a packet type that is no digit', ['4x/chat,'], 'closed')
  onChat('broken JSON', ['42/chat,1["chat:send",{"roomId":'], 'closed')
  onChat('JSON with NaN', ['42/chat,1["chat:read",{"roomId":"general","seq":NaN}]'], 'closed')
  onChat('an event whose data is an object, not an array', ['42/chat,1{"roomId":"general"}'], 'closed')
  onChat('an event with an empty array (no name)', ['42/chat,1[]'], 'closed')
  onChat('a null event name', ['42/chat,1[null,{}]'], 'closed')
  onChat('an object as the event name', ['42/chat,1[{"name":"chat:send"},{}]'], 'closed')
  onChat('an event name nested 10,000 arrays deep', [`42/chat,1[${deepArrays(10_000)},{}]`], 'closed')
  for (const reserved of ['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener']) {
    onChat(`the reserved event name "${reserved}"`, [`42/chat,1["${reserved}",{}]`], 'closed')
  }
  onChat('an event with an id and no data at all (nothing to answer)', ['42/chat,1'], 'silence')
  onChat('an ack id beyond 2^53', ['42/chat,99999999999999999999["chat:leave",{"roomId":"x"}]'], 'ok', { ackId: 1e20 })
  onChat('an ack with no id', ['43/chat,[{"ok":true}]'], 'silence')
  onChat('an ack for an id the server never used', ['43/chat,77[{"ok":true}]'], 'silence')
  onChat('an ack whose data is not an array', ['43/chat,1{}'], 'closed')
  onChat('a binary ack nobody asked for', ['461-/chat,1[{"_placeholder":true,"num":0}]', Buffer.from('ack')], 'silence')
  onChat('a CONNECT_ERROR sent by the client', ['44/chat,{"message":"boo"}'], 'closed')
  onChat('a second CONNECT to a namespace already connected', [`40/chat,{"token":"${token}"}`], 'closed')
  onChat('an event to a namespace this connection never joined', ['42/notifications,1["notification:list",{}]'], 'closed')
  onChat('an event to the main namespace without connecting to it', ['42["chat:send",{}]'], 'closed')
  // Socket.IO still hands an event read after the leave to the namespace's listeners: it must not run.
  const leave = { probeNs: Namespaces.notifications }
  onChat('leaving the namespace (41) and a command in the same read: the command is not run', ['41/chat,', '42/chat,5["chat:leave",{"roomId":"x"}]'], 'silence', leave)
  onChat('leaving the namespace and joining a room in the same read: the join is not run (no one left online)',
    ['41/chat,', `42/chat,5["chat:join",{"roomId":"${rooms.arena}"}]`], 'silence', leave)
  onChat('a payload nested 10,000 arrays deep', [`42/chat,1["chat:send",${deepArrays(10_000)}]`], 'invalid_payload', { ackId: 1 })
  onChat('a room id nested 10,000 objects deep', [`42/chat,1["chat:join",{"roomId":${deepObjects(10_000)}}]`], 'invalid_payload', { ackId: 1 })
  onChat('a payload nested as deep as 64 KiB allows (32,000 arrays)', [`42/chat,1["chat:history",${deepArrays(32_000)}]`], 'invalid_payload', { ackId: 1 })
  onChat('a number too large for a double (1e400 is Infinity)', [`42/chat,1["chat:read",{"roomId":"${rooms.arena}","seq":1e400}]`], 'invalid_payload', { ackId: 1 })
  onChat('a seq of -0 (read as 0: the marker never moves back)', [`42/chat,1["chat:read",{"roomId":"${rooms.arena}","seq":-0}]`], 'ok', { ackId: 1 })
  raw('a duplicate key: the last one counts, for the check and the handler alike', Namespaces.chat,
    [`42/chat,1["chat:history",{"roomId":"${rooms.arena}","roomId":"${rooms.carol}"}]`], 'forbidden', { ackId: 1 })

  // Binary attachments (on a connection to /chat).
  const placeholder = '{"_placeholder":true,"num":0}'
  onChat('a binary payload', [`451-/chat,1["chat:send",${placeholder}]`, Buffer.from('hi')], 'invalid_payload', { ackId: 1 })
  onChat('a binary room id', [`451-/chat,1["chat:send",{"roomId":${placeholder},"text":"hi","clientId":"binary-1"}]`, Buffer.from('general')], 'invalid_payload', { ackId: 1 })
  raw('two attachments announced, one sent, then a text packet', Namespaces.chat,
    [`452-/chat,1["chat:send",${placeholder},{"_placeholder":true,"num":1}]`, Buffer.from('one'), '42/chat,2["chat:leave",{"roomId":"x"}]'], 'closed')
  onChat('an attachment announced, a text packet instead', [`451-/chat,1["chat:send",${placeholder}]`, '42/chat,2["chat:leave",{"roomId":"x"}]'], 'closed')
  onChat('11 attachments announced (the parser takes 10)', [`4511-/chat,1["chat:send",${placeholder}]`], 'closed')
  onChat('zero attachments announced', [`450-/chat,1["chat:send",${placeholder}]`], 'closed')
  onChat('an attachment count that is no number', [`45x-/chat,1["chat:send",${placeholder}]`], 'closed')
  onChat('a placeholder pointing past the attachments', ['451-/chat,1["chat:send",{"_placeholder":true,"num":5}]', Buffer.from('x')], 'closed')
  onChat('a placeholder numbered "__proto__"', ['451-/chat,1["chat:send",{"_placeholder":true,"num":"__proto__"}]', Buffer.from('x')], 'closed')
  onChat('a binary event name', [`451-/chat,1[${placeholder},{}]`, Buffer.from('chat:send')], 'closed')

  // Namespace CONNECTs (on a fresh connection).
  const connect = (name: string, frame: string, connectTo: string, expect: Expectation) => raw(name, null, [frame], expect, { connectTo })
  for (const nsp of ['/nope', '/CHAT', '/chat/', '/chat?x=1', '/admin', `/${'x'.repeat(10_000)}`]) {
    connect(`a CONNECT to the unknown namespace ${JSON.stringify(nsp.slice(0, 20))}`, `40${nsp},{"token":"${token}"}`, nsp, 'connect_error:Invalid namespace')
  }
  connect('a CONNECT to the main namespace "/", which serves no commands', '40', '/', 'connect_error:Invalid namespace')
  connect('a CONNECT to /chat with no token and no cookie', '40/chat,', '/chat', 'connect_error:unauthorized')
  for (const [what, auth] of [
    ['a number as the token', '{"token":123}'],
    ['a null token', '{"token":null}'],
    ['a token in an array', `{"token":["${token}"]}`],
    ['a token of 50,000 characters', `{"token":"${'t'.repeat(50_000)}"}`],
    ['the token under an own "__proto__" key', `{"__proto__":{"token":"${token}"}}`],
    ['the token with a trailing space', `{"token":"${token} "}`]
  ]) {
    connect(`a CONNECT to /chat with ${what}`, `40/chat,${auth}`, '/chat', 'connect_error:unauthorized')
  }
  connect('a CONNECT to /chat with protocol version 2', `40/chat,{"token":"${token}","protocolVersion":${PROTOCOL_VERSION + 1}}`, '/chat', 'connect_error:protocol_mismatch')
  connect('a CONNECT to /chat with the protocol version as a string', `40/chat,{"token":"${token}","protocolVersion":"${PROTOCOL_VERSION}"}`, '/chat', 'connect_error:protocol_mismatch')
  connect('a CONNECT to /ticker with a token that is no session', '40/ticker,{"token":"bogus"}', '/ticker', 'connect_error:unauthorized')
  connect('a CONNECT to /ticker with protocol version 1e308', '40/ticker,{"protocolVersion":1e308}', '/ticker', 'connect_error:protocol_mismatch')
  connect('a CONNECT to /chat with extra auth fields (ignored)', `40/chat,{"token":"${token}","admin":true,"userId":"${users.carol.user.id}"}`, '/chat', 'connected')
  connect('a CONNECT whose auth is an array', '40/chat,[]', '/chat', 'closed')
  connect('a CONNECT whose auth is a string', `40/chat,"${token}"`, '/chat', 'closed')
  return entries
}
