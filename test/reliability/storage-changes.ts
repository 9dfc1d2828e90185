import { DatabaseSync } from 'node:sqlite'

type Row = Record<string, unknown>

/** The tables compared, each with its primary key. */
const tables = {
  users: ['id'],
  sessions: ['id'],
  rooms: ['id'],
  room_members: ['room_id', 'user_id'],
  messages: ['id'],
  message_reactions: ['message_id', 'emoji', 'user_id'],
  notifications: ['id'],
  notification_room_prefs: ['user_id', 'room_id'],
  notification_settings: ['user_id'],
  alerts: ['id'],
  thread_follows: ['root_id', 'user_id'],
  images: ['id'],
  avatars: ['id'],
  watchlists: ['id'],
  watchlist_revs: ['user_id']
} as const
export type Table = keyof typeof tables

export type Snapshot = Record<Table, Map<string, Row>>

/** Every row of the compared tables, read from the SQLite file on a read-only connection of its own. */
export function snapshotStorage (file: string): Snapshot {
  const db = new DatabaseSync(file, { readOnly: true })
  try {
    const entries = Object.entries(tables).map(([table, key]) => {
      const rows = db.prepare(`SELECT * FROM ${table}`).all() as Row[]
      return [table, new Map(rows.map((row) => [key.map((column) => row[column]).join('|'), row]))]
    })
    return Object.fromEntries(entries) as Snapshot
  } finally {
    db.close()
  }
}

export interface RowChanges {
  added: Row[]
  removed: Row[]
  changed: { before: Row, after: Row, columns: string[] }[]
}
export type Changes = Record<Table, RowChanges>

export function diffSnapshots (before: Snapshot, after: Snapshot): Changes {
  const diff = (table: Table): RowChanges => {
    const [was, is] = [before[table], after[table]]
    const changed = []
    for (const [key, row] of is) {
      const old = was.get(key)
      if (!old) continue
      const columns = Object.keys(row).filter((column) => row[column] !== old[column])
      if (columns.length > 0) changed.push({ before: old, after: row, columns })
    }
    return {
      added: [...is].filter(([key]) => !was.has(key)).map(([, row]) => row),
      removed: [...was].filter(([key]) => !is.has(key)).map(([, row]) => row),
      changed
    }
  }
  return Object.fromEntries(Object.keys(tables).map((table) => [table, diff(table as Table)])) as Changes
}

/**
 * What the accepted commands were allowed to change, recorded from their `ok` acks: every
 * change found in storage must be one of these, or it came from a frame that was refused.
 */
export function createLedger () {
  const ledger = {
    /** chat:send acks: message id -> author and room. */
    messages: new Map<string, { authorId: string, roomId: string }>(),
    /** Messages the attacker edited or deleted (acked). */
    changedMessages: new Set<string>(),
    /** Messages the attacker reacted to (acked), any author's. */
    reactedMessages: new Set<string>(),
    /** `roomId|userId`: joined or wrote to (membership of a public room), or marked read. */
    memberships: new Set<string>(),
    readMarkers: new Set<string>(),
    /** Markers an ok chat:mark-unread may have moved back. */
    unreadMarkers: new Set<string>(),
    /** Notification ids marked read, or every notification of these users. */
    notificationsRead: new Set<string>(),
    allNotificationsRead: new Set<string>(),
    /** Notification ids of an ok mark-unread, and of an ok done (either way). */
    notificationsUnread: new Set<string>(),
    notificationsDone: new Set<string>(),
    /** `roomId|userId` of an ok notification:set-room; users of an ok notification:set-settings. */
    roomPreferences: new Set<string>(),
    settings: new Set<string>(),
    alertsCreated: new Set<string>(),
    alertsDeleted: new Set<string>(),
    alertsRearmed: new Set<string>(),
    /** `roomId|userId` of an ok chat:room-leave: the membership may go, and come back by a join. */
    roomsLeft: new Set<string>(),
    /** Roots of an ok thread reply (its count and follows change), and `rootId|userId` of an ok chat:follow-thread. */
    repliedRoots: new Set<string>(),
    follows: new Set<string>(),
    /** Users with an ok ticker:watchlist-* command: their lists and rev may change. */
    watchlistUsers: new Set<string>()
  }
  return {
    ...ledger,
    /** Records what an `ok` ack allows, given the command, its payload and the ack's data. */
    accept (userId: string, event: string, payload: any, data: any) {
      const room = (roomId: string) => `${roomId}|${userId}`
      switch (event) {
        case 'chat:join':
          ledger.memberships.add(room(data.room.id))
          break
        case 'chat:send':
          if (data.message.threadRootId !== undefined) ledger.repliedRoots.add(data.message.threadRootId)
          ledger.messages.set(data.message.id, { authorId: userId, roomId: data.message.roomId })
          ledger.memberships.add(room(data.message.roomId))
          ledger.readMarkers.add(room(data.message.roomId))
          break
        case 'chat:edit':
        case 'chat:delete':
          ledger.changedMessages.add(data.message.id)
          break
        case 'chat:react':
          ledger.reactedMessages.add(data.messageId)
          break
        case 'chat:read':
          ledger.readMarkers.add(room(payload.roomId))
          break
        case 'chat:mark-unread':
          ledger.readMarkers.add(room(payload.roomId))
          ledger.unreadMarkers.add(room(payload.roomId))
          break
        case 'notification:mark-read':
          if (payload.all === true) ledger.allNotificationsRead.add(userId)
          else for (const id of payload.ids) ledger.notificationsRead.add(id)
          break
        case 'notification:mark-unread':
          ledger.notificationsUnread.add(payload.id)
          break
        case 'notification:done':
          for (const id of payload.ids) ledger.notificationsDone.add(id)
          break
        case 'notification:set-room':
          ledger.roomPreferences.add(room(payload.roomId))
          break
        case 'notification:set-settings':
          ledger.settings.add(userId)
          break
        case 'ticker:alert-create':
          ledger.alertsCreated.add(data.alert.id)
          break
        case 'ticker:alert-delete':
          ledger.alertsDeleted.add(payload.id)
          break
        case 'ticker:alert-rearm':
          ledger.alertsRearmed.add(payload.id)
          break
        case 'chat:room-leave':
          ledger.roomsLeft.add(room(payload.roomId))
          break
        case 'chat:follow-thread':
          ledger.follows.add(`${payload.rootId}|${userId}`)
          break
        default:
          if (event.startsWith('ticker:watchlist-') && event !== 'ticker:watchlist-list') ledger.watchlistUsers.add(userId)
      }
    }
  }
}
export type Ledger = ReturnType<typeof createLedger>

type Kind = keyof RowChanges

/** The kinds of change no command makes to a table, whoever sends it. */
const neverChanged: Partial<Record<Table, Kind[]>> = {
  users: ['added', 'removed', 'changed'],
  sessions: ['added', 'removed', 'changed'],
  images: ['added', 'removed', 'changed'],
  avatars: ['added', 'removed', 'changed'],
  rooms: ['added', 'removed'],
  messages: ['removed'],
  message_reactions: ['changed'],
  notifications: ['removed'],
  thread_follows: ['removed']
}

/** Tables where a row may be added, removed or changed only if it is the attacker's own and an ok command of theirs allows it. */
const ownRows = {
  notification_room_prefs: { when: 'after an ok notification:set-room for that room', allows: (ledger: Ledger, row: Row) => ledger.roomPreferences.has(`${row.room_id}|${row.user_id}`) },
  notification_settings: { when: 'after an ok notification:set-settings', allows: (ledger: Ledger, row: Row) => ledger.settings.has(row.user_id as string) },
  watchlists: { when: 'after an ok ticker:watchlist-* command', allows: (ledger: Ledger, row: Row) => ledger.watchlistUsers.has(row.user_id as string) },
  watchlist_revs: { when: 'after an ok ticker:watchlist-* command', allows: (ledger: Ledger, row: Row) => ledger.watchlistUsers.has(row.user_id as string) }
} satisfies Partial<Record<Table, { when: string, allows: (ledger: Ledger, row: Row) => boolean }>>

const ownRowsRule = (table: keyof typeof ownRows) => `the attacker's own only, ${ownRows[table].when}`

/** The rules, one per kind of change, in words for the report. */
export const allowedChanges = {
  users: 'nothing (no command creates or changes a user)',
  sessions: 'nothing (no command creates or ends a session)',
  rooms: 'last_seq only, to the newest seq of the room\'s messages; last_rev only, to the newest rev of the room\'s messages',
  room_members: 'a new member only where that user\'s chat:join or chat:send was acked ok; last_read_seq only where that user\'s chat:send, chat:read or chat:mark-unread was acked ok, and back only after an ok chat:mark-unread',
  messages: 'new rows only with the id of an ok chat:send ack; text, edited_at, deleted and rev only of the attacker\'s own messages whose chat:edit or chat:delete was acked ok; rev only of messages whose chat:react was acked ok',
  message_reactions: 'the attacker\'s own only, added or removed on messages whose chat:react was acked ok; removed with a message whose chat:delete was acked ok',
  notifications: 'new rows only as mentions (or direct-message or room-message notices) of a new message, or price alerts of the attacker firing; read_at only of the attacker\'s own notifications covered by an ok notification:mark-read, mark-unread or done; done_at only of the attacker\'s own covered by an ok notification:done',
  notification_room_prefs: ownRowsRule('notification_room_prefs'),
  notification_settings: ownRowsRule('notification_settings'),
  alerts: 'new rows only with the id of an ok ticker:alert-create ack; removed only those of an ok ticker:alert-delete; triggered_at only of the attacker\'s alerts, and back with price and created_at only by an ok ticker:alert-rearm',
  thread_follows: 'the attacker\'s own after an ok chat:follow-thread; anyone\'s only on the root of an ok thread reply (repliers and the mentioned follow)',
  images: 'nothing (uploads are HTTP; a socket only attaches one in an ok chat:send)',
  avatars: 'nothing (avatars are set and removed over HTTP only; no command touches one)',
  watchlists: ownRowsRule('watchlists'),
  watchlist_revs: ownRowsRule('watchlist_revs')
} satisfies Record<Table, string>

/** Each row a change of `kind` touched: the row added or removed, or the changed row as it is now. */
const rowsOf = (changes: RowChanges, kind: Kind): Row[] => kind === 'changed' ? changes.changed.map((change) => change.after) : changes[kind]

/**
 * Every change in `changes` that no rule of `allowedChanges` explains, in words (empty when
 * nothing was stored from a refused frame). `attackerId` is the only user whose own rows may change.
 */
export function unexplainedChanges (changes: Changes, after: Snapshot, ledger: Ledger, attackerId: string): string[] {
  const problems: string[] = []
  const flag = (table: Table, what: string, row: Row) => problems.push(`${table}: ${what}: ${JSON.stringify(row)}`)
  const onlyColumns = (table: Table, allowed: string[], change: RowChanges['changed'][number]) => {
    const others = change.columns.filter((column) => !allowed.includes(column))
    if (others.length > 0) flag(table, `changed ${others.join(', ')}`, change.after)
    return others.length === 0
  }

  for (const [table, kinds] of Object.entries(neverChanged) as [Table, Kind[]][]) {
    for (const kind of kinds) for (const row of rowsOf(changes[table], kind)) flag(table, kind, row)
  }
  for (const table of Object.keys(ownRows) as (keyof typeof ownRows)[]) {
    const rule = ownRows[table]
    for (const kind of ['added', 'removed', 'changed'] as const) {
      for (const row of rowsOf(changes[table], kind)) {
        if (row.user_id !== attackerId || !rule.allows(ledger, row)) flag(table, `${kind}, against the rule (${ownRowsRule(table)})`, row)
      }
    }
  }

  const newestSeq = new Map<unknown, number>()
  for (const message of after.messages.values()) newestSeq.set(message.room_id, Math.max(newestSeq.get(message.room_id) ?? 0, message.seq as number))
  const newestRev = new Map<unknown, number>()
  for (const message of after.messages.values()) newestRev.set(message.room_id, Math.max(newestRev.get(message.room_id) ?? 0, message.rev as number))
  for (const change of changes.rooms.changed) {
    if (!onlyColumns('rooms', ['last_seq', 'last_rev'], change)) continue
    if (change.columns.includes('last_seq') && change.after.last_seq !== newestSeq.get(change.after.id)) {
      flag('rooms', `last_seq is not the newest message's seq (${newestSeq.get(change.after.id)})`, change.after)
    }
    if (change.columns.includes('last_rev') && change.after.last_rev !== newestRev.get(change.after.id)) {
      flag('rooms', `last_rev is not the newest message's rev (${newestRev.get(change.after.id)})`, change.after)
    }
  }

  const key = (row: Row) => `${row.room_id}|${row.user_id}`
  for (const row of changes.room_members.added) if (!ledger.memberships.has(key(row))) flag('room_members', 'added without an ok join or send', row)
  const left = (row: Row) => row.user_id === attackerId && ledger.roomsLeft.has(key(row))
  for (const row of changes.room_members.removed) if (!left(row)) flag('room_members', 'removed without an ok chat:room-leave of one\'s own', row)
  for (const change of changes.room_members.changed) {
    // Left and joined again: a new membership in the same place.
    if (left(change.after) && ledger.memberships.has(key(change.after))) continue
    if (!onlyColumns('room_members', ['last_read_seq'], change)) continue
    if (!ledger.readMarkers.has(key(change.after))) flag('room_members', 'read marker moved without an ok send, read or mark-unread', change.after)
    else if ((change.after.last_read_seq as number) < (change.before.last_read_seq as number) && !ledger.unreadMarkers.has(key(change.after))) flag('room_members', 'read marker moved back without an ok mark-unread', change.after)
  }

  for (const row of changes.messages.added) if (!ledger.messages.has(row.id as string)) flag('messages', 'added without an ok chat:send', row)
  for (const change of changes.messages.changed) {
    if (ledger.repliedRoots.has(change.after.id as string) && change.columns.every((column) => ['reply_count', 'last_reply_at', 'rev'].includes(column))) continue
    if (!onlyColumns('messages', ['text', 'edited_at', 'deleted', 'rev'], change)) continue
    const reacted = change.columns.length === 1 && ledger.reactedMessages.has(change.after.id as string)
    if (!reacted && (change.after.author_id !== attackerId || !ledger.changedMessages.has(change.after.id as string))) {
      flag('messages', 'changed without an ok edit or delete of one\'s own, or an ok reaction', change.after)
    }
  }
  for (const row of changes.message_reactions.added) {
    if (row.user_id !== attackerId || !ledger.reactedMessages.has(row.message_id as string)) flag('message_reactions', 'added without an ok chat:react of one\'s own', row)
  }
  for (const row of changes.message_reactions.removed) {
    const own = row.user_id === attackerId && ledger.reactedMessages.has(row.message_id as string)
    if (!own && !ledger.changedMessages.has(row.message_id as string)) flag('message_reactions', 'removed without an ok chat:react of one\'s own or an ok delete', row)
  }

  const newMessages = new Set(changes.messages.added.map((row) => `/chat/${encodeURIComponent(row.room_id as string)}?seq=${row.seq}`))
  for (const row of changes.notifications.added) {
    const mention = (row.kind === 'mention' || row.kind === 'dm' || row.kind === 'message') && newMessages.has(row.url as string)
    const priceAlert = row.kind === 'price-alert' && row.user_id === attackerId
    if (!mention && !priceAlert) flag('notifications', 'added, neither a mention of a new message nor an alert of the attacker', row)
  }
  for (const change of changes.notifications.changed) {
    if (!onlyColumns('notifications', ['read_at', 'done_at'], change)) continue
    const user = change.after.user_id as string
    const id = change.after.id as string
    const done = ledger.notificationsDone.has(id)
    const read = ledger.allNotificationsRead.has(user) || ledger.notificationsRead.has(id) || ledger.notificationsUnread.has(id) || done
    if (user !== attackerId || (change.columns.includes('read_at') && !read) || (change.columns.includes('done_at') && !done)) {
      flag('notifications', 'read, unread or done without an ok command of one\'s own', change.after)
    }
  }
  for (const row of changes.alerts.added) if (!ledger.alertsCreated.has(row.id as string)) flag('alerts', 'added without an ok alert-create', row)
  for (const row of changes.alerts.removed) if (!ledger.alertsDeleted.has(row.id as string)) flag('alerts', 'removed without an ok alert-delete', row)
  for (const change of changes.alerts.changed) {
    if (change.after.user_id === attackerId && ledger.alertsRearmed.has(change.after.id as string)) continue
    if (onlyColumns('alerts', ['triggered_at', 'fired_price'], change) && change.after.user_id !== attackerId) flag('alerts', 'triggered, not the attacker\'s', change.after)
  }
  const follow = (row: Row) => ledger.repliedRoots.has(row.root_id as string) || (row.user_id === attackerId && ledger.follows.has(`${row.root_id}|${row.user_id}`))
  for (const row of changes.thread_follows.added) if (!follow(row)) flag('thread_follows', 'added without an ok reply or follow', row)
  for (const change of changes.thread_follows.changed) if (!follow(change.after)) flag('thread_follows', 'changed without an ok reply or follow', change.after)
  return problems
}

/** Rows added, removed and changed per table, for the report. */
export const countChanges = (changes: Changes) => Object.fromEntries(Object.entries(changes).map(([table, { added, removed, changed }]) =>
  [table, { added: added.length, removed: removed.length, changed: changed.length }]))
