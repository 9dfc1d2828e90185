import type { Storage } from '../types.ts'
import { createSqliteAlertStore } from './alerts.ts'
import { createSqliteChatStore } from './chat.ts'
import { createSqliteImageStore } from './images.ts'
import { createSqliteNotificationStore } from './notifications.ts'
import { openSqlite } from './open-sqlite.ts'
import { createSqliteSessionStore } from './sessions.ts'
import { createSqliteUserStore } from './users.ts'
import { createSqliteWatchlistStore } from './watchlists.ts'

export function createSqliteStorage (file: string): Storage {
  const db = openSqlite(file)
  const ping = db.prepare('SELECT 1')
  return {
    kind: 'sqlite',
    users: createSqliteUserStore(db),
    sessions: createSqliteSessionStore(db),
    chat: createSqliteChatStore(db),
    notifications: createSqliteNotificationStore(db),
    alerts: createSqliteAlertStore(db),
    images: createSqliteImageStore(db),
    watchlists: createSqliteWatchlistStore(db),
    async ping () { ping.get() },
    async close () { if (db.isOpen) db.close() }
  }
}
