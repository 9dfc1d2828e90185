import type { DatabaseSync } from 'node:sqlite'
import { newId } from '../ids.ts'
import { StoreErrors, toAlert } from '../rows.ts'
import type { AlertStore } from '../types.ts'
import { transaction } from './open-sqlite.ts'

const COLUMNS = 'id, user_id, symbol, direction, price, created_at, kind, pct, minutes, triggered_at, fired_price'

export function createSqliteAlertStore (db: DatabaseSync): AlertStore {
  const q = {
    countPending: db.prepare('SELECT COUNT(*) AS n FROM alerts WHERE user_id = ? AND triggered_at IS NULL'),
    insert: db.prepare('INSERT INTO alerts (id, user_id, symbol, direction, price, created_at, kind, pct, minutes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    listPending: db.prepare(`SELECT ${COLUMNS} FROM alerts WHERE user_id = ? AND triggered_at IS NULL ORDER BY created_at, rowid`),
    listFired: db.prepare(`SELECT ${COLUMNS} FROM alerts WHERE user_id = ? AND triggered_at IS NOT NULL ORDER BY triggered_at DESC, rowid DESC LIMIT ?`),
    allPending: db.prepare(`SELECT ${COLUMNS} FROM alerts WHERE triggered_at IS NULL`),
    remove: db.prepare('DELETE FROM alerts WHERE id = ? AND user_id = ? AND triggered_at IS NULL'),
    removeFired: db.prepare('DELETE FROM alerts WHERE id = ? AND user_id = ? AND triggered_at IS NOT NULL'),
    trigger: db.prepare('UPDATE alerts SET triggered_at = ?, fired_price = ? WHERE id = ? AND triggered_at IS NULL'),
    firedOne: db.prepare(`SELECT ${COLUMNS} FROM alerts WHERE id = ? AND user_id = ? AND triggered_at IS NOT NULL`),
    rearm: db.prepare(`UPDATE alerts SET triggered_at = NULL, fired_price = NULL, created_at = ?, price = ? WHERE id = ? RETURNING ${COLUMNS}`)
  }

  return {
    async create ({ userId, symbol, direction, price, now, maxPending, kind = 'cross', pct, minutes }) {
      return transaction(db, () => {
        const { n } = q.countPending.get(userId) as { n: number }
        if (n >= maxPending) throw StoreErrors.tooManyAlerts(maxPending)
        const id = newId()
        q.insert.run(id, userId, symbol, direction, price, now, kind, pct ?? null, minutes ?? null)
        return toAlert({ id, user_id: userId, symbol, direction, price, created_at: now, kind, pct: pct ?? null, minutes: minutes ?? null, triggered_at: null })
      })
    },
    async listPending (userId) {
      return q.listPending.all(userId).map(toAlert)
    },
    async listFired (userId, limit) {
      return q.listFired.all(userId, limit).map(toAlert)
    },
    async allPending () {
      return q.allPending.all().map(toAlert)
    },
    async delete (id, userId) {
      return Number(q.remove.run(id, userId).changes) > 0
    },
    async deleteFired (id, userId) {
      return Number(q.removeFired.run(id, userId).changes) > 0
    },
    async markTriggered (id, now, price) {
      return Number(q.trigger.run(now, price ?? null, id).changes) > 0
    },
    async rearm ({ id, userId, now, priceOf, maxPending }) {
      return transaction(db, () => {
        const row = q.firedOne.get(id, userId)
        if (row === undefined) return null
        const { n } = q.countPending.get(userId) as { n: number }
        if (n >= maxPending) throw StoreErrors.tooManyAlerts(maxPending)
        const fired = toAlert(row)
        return toAlert(q.rearm.get(now, fired.kind === undefined ? fired.price : priceOf(fired.symbol), id)!)
      })
    }
  }
}
