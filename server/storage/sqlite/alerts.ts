import type { DatabaseSync } from 'node:sqlite'
import { newId } from '../ids.ts'
import { StoreErrors, toAlert } from '../rows.ts'
import type { AlertStore } from '../types.ts'
import { transaction } from './open-sqlite.ts'

const COLUMNS = 'id, user_id, symbol, direction, price, created_at'

export function createSqliteAlertStore (db: DatabaseSync): AlertStore {
  const q = {
    countPending: db.prepare('SELECT COUNT(*) AS n FROM alerts WHERE user_id = ? AND triggered_at IS NULL'),
    insert: db.prepare('INSERT INTO alerts (id, user_id, symbol, direction, price, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
    listPending: db.prepare(`SELECT ${COLUMNS} FROM alerts WHERE user_id = ? AND triggered_at IS NULL ORDER BY created_at, rowid`),
    allPending: db.prepare(`SELECT ${COLUMNS} FROM alerts WHERE triggered_at IS NULL`),
    remove: db.prepare('DELETE FROM alerts WHERE id = ? AND user_id = ? AND triggered_at IS NULL'),
    trigger: db.prepare('UPDATE alerts SET triggered_at = ? WHERE id = ? AND triggered_at IS NULL')
  }

  return {
    async create ({ userId, symbol, direction, price, now, maxPending }) {
      return transaction(db, () => {
        const { n } = q.countPending.get(userId) as { n: number }
        if (n >= maxPending) throw StoreErrors.tooManyAlerts(maxPending)
        const id = newId()
        q.insert.run(id, userId, symbol, direction, price, now)
        return { id, userId, symbol, direction, price, createdAt: now }
      })
    },
    async listPending (userId) {
      return q.listPending.all(userId).map(toAlert)
    },
    async allPending () {
      return q.allPending.all().map(toAlert)
    },
    async delete (id, userId) {
      return Number(q.remove.run(id, userId).changes) > 0
    },
    async markTriggered (id, now) {
      return Number(q.trigger.run(now, id).changes) > 0
    }
  }
}
