import { newId } from '../ids.ts'
import { StoreErrors, toAlert } from '../rows.ts'
import type { AlertStore } from '../types.ts'
import type { Sql, Transaction } from './open-postgres.ts'

/** The user's row locked (NO KEY: inserts that reference it still pass) makes count-then-write one step across processes, as SQLite's single writer does. */
const pendingOf = async (tx: Transaction, userId: string) => {
  await tx`SELECT 1 FROM users WHERE id = ${userId} FOR NO KEY UPDATE`
  const [{ n }] = await tx`SELECT COUNT(*)::int AS n FROM alerts WHERE user_id = ${userId} AND triggered_at IS NULL` as [{ n: number }]
  return n
}

export function createPostgresAlertStore (sql: Sql): AlertStore {
  return {
    async create ({ userId, symbol, direction, price, now, maxPending, kind = 'cross', pct, minutes }) {
      return sql.begin(async (tx) => {
        if (await pendingOf(tx, userId) >= maxPending) throw StoreErrors.tooManyAlerts(maxPending)
        const id = newId()
        await tx`INSERT INTO alerts (id, user_id, symbol, direction, price, created_at, kind, pct, minutes)
          VALUES (${id}, ${userId}, ${symbol}, ${direction}, ${price}, ${now}, ${kind}, ${pct ?? null}, ${minutes ?? null})`
        return toAlert({ id, user_id: userId, symbol, direction, price, created_at: now, kind, pct: pct ?? null, minutes: minutes ?? null, triggered_at: null })
      })
    },
    async listPending (userId) {
      return (await sql`SELECT * FROM alerts WHERE user_id = ${userId} AND triggered_at IS NULL ORDER BY created_at, seq`).map(toAlert)
    },
    async listFired (userId, limit) {
      return (await sql`SELECT * FROM alerts WHERE user_id = ${userId} AND triggered_at IS NOT NULL ORDER BY triggered_at DESC, seq DESC LIMIT ${limit}`).map(toAlert)
    },
    async allPending () {
      return (await sql`SELECT * FROM alerts WHERE triggered_at IS NULL`).map(toAlert)
    },
    async delete (id, userId) {
      return (await sql`DELETE FROM alerts WHERE id = ${id} AND user_id = ${userId} AND triggered_at IS NULL`).count > 0
    },
    async deleteFired (id, userId) {
      return (await sql`DELETE FROM alerts WHERE id = ${id} AND user_id = ${userId} AND triggered_at IS NOT NULL`).count > 0
    },
    async markTriggered (id, now, price) {
      return (await sql`UPDATE alerts SET triggered_at = ${now}, fired_price = ${price ?? null} WHERE id = ${id} AND triggered_at IS NULL`).count > 0
    },
    async rearm ({ id, userId, now, priceOf, maxPending }) {
      return sql.begin(async (tx) => {
        const n = await pendingOf(tx, userId)
        const [row] = await tx`SELECT * FROM alerts WHERE id = ${id} AND user_id = ${userId} AND triggered_at IS NOT NULL`
        if (row === undefined) return null
        if (n >= maxPending) throw StoreErrors.tooManyAlerts(maxPending)
        const fired = toAlert(row)
        const [updated] = await tx`UPDATE alerts SET triggered_at = NULL, fired_price = NULL, created_at = ${now},
          price = ${fired.kind === undefined ? fired.price : priceOf(fired.symbol)} WHERE id = ${id} RETURNING *`
        return toAlert(updated!)
      })
    }
  }
}
