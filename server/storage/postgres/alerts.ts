import { newId } from '../ids.ts'
import { StoreErrors, toAlert } from '../rows.ts'
import type { AlertStore } from '../types.ts'
import type { Sql } from './open-postgres.ts'

export function createPostgresAlertStore (sql: Sql): AlertStore {
  return {
    async create ({ userId, symbol, direction, price, now, maxPending }) {
      return sql.begin(async (tx) => {
        // The user's row locked (NO KEY: inserts that reference it still pass) makes count-then-insert
        // one step across processes, as SQLite's single writer does.
        await tx`SELECT 1 FROM users WHERE id = ${userId} FOR NO KEY UPDATE`
        const [{ n }] = await tx`SELECT COUNT(*) AS n FROM alerts WHERE user_id = ${userId} AND triggered_at IS NULL` as [{ n: number }]
        if (n >= maxPending) throw StoreErrors.tooManyAlerts(maxPending)
        const id = newId()
        await tx`INSERT INTO alerts (id, user_id, symbol, direction, price, created_at) VALUES (${id}, ${userId}, ${symbol}, ${direction}, ${price}, ${now})`
        return { id, userId, symbol, direction, price, createdAt: now }
      })
    },
    async listPending (userId) {
      return (await sql`SELECT id, user_id, symbol, direction, price, created_at FROM alerts WHERE user_id = ${userId} AND triggered_at IS NULL ORDER BY created_at, seq`).map(toAlert)
    },
    async allPending () {
      return (await sql`SELECT id, user_id, symbol, direction, price, created_at FROM alerts WHERE triggered_at IS NULL`).map(toAlert)
    },
    async delete (id, userId) {
      return (await sql`DELETE FROM alerts WHERE id = ${id} AND user_id = ${userId} AND triggered_at IS NULL`).count > 0
    },
    async markTriggered (id, now) {
      return (await sql`UPDATE alerts SET triggered_at = ${now} WHERE id = ${id} AND triggered_at IS NULL`).count > 0
    }
  }
}
