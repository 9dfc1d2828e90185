import { newId } from '../ids.ts'
import { StoreErrors, toWatchlist } from '../rows.ts'
import type { WatchlistStore } from '../types.ts'
import type { Sql, Transaction } from './open-postgres.ts'

/** Every change of a user's lists locks the user's row first: one at a time per user, across processes. */
const lockUser = (tx: Transaction, userId: string) => tx`SELECT 1 FROM users WHERE id = ${userId} FOR NO KEY UPDATE`
const listsOf = async (tx: Sql | Transaction, userId: string) =>
  (await tx`SELECT id, name, symbols, version FROM watchlists WHERE user_id = ${userId} ORDER BY position, created_at, id`).map(toWatchlist)
const bump = async (tx: Transaction, userId: string) => {
  const [row] = await tx`INSERT INTO watchlist_revs (user_id, rev) VALUES (${userId}, 1)
    ON CONFLICT (user_id) DO UPDATE SET rev = watchlist_revs.rev + 1 RETURNING rev`
  return Number(row!.rev)
}
const revOf = async (tx: Sql | Transaction, userId: string) => {
  const [row] = await tx`SELECT rev FROM watchlist_revs WHERE user_id = ${userId}`
  return row === undefined ? 0 : Number(row.rev)
}
const renumber = async (tx: Transaction, ids: readonly string[]) => {
  for (const [i, id] of ids.entries()) await tx`UPDATE watchlists SET position = ${i} WHERE id = ${id}`
}

export function createPostgresWatchlistStore (sql: Sql): WatchlistStore {
  return {
    async list (userId) {
      return sql.begin('ISOLATION LEVEL REPEATABLE READ', async (tx) => ({ lists: await listsOf(tx, userId), rev: await revOf(tx, userId) }))
    },
    async create ({ userId, name, symbols, now, maxLists }) {
      return sql.begin(async (tx) => {
        await lockUser(tx, userId)
        const lists = await listsOf(tx, userId)
        if (lists.length >= maxLists) throw StoreErrors.tooManyWatchlists(maxLists)
        const id = newId()
        await tx`INSERT INTO watchlists (id, user_id, name, position, symbols, version, created_at)
          VALUES (${id}, ${userId}, ${name}, ${lists.length}, ${JSON.stringify(symbols)}, 1, ${now})`
        return { list: { id, name, symbols, version: 1 }, rev: await bump(tx, userId) }
      })
    },
    async update ({ userId, id, version, name, symbols }) {
      return sql.begin(async (tx) => {
        await lockUser(tx, userId)
        const [row] = await tx`SELECT id, name, symbols, version FROM watchlists WHERE id = ${id} AND user_id = ${userId}`
        if (row === undefined) throw StoreErrors.noSuchWatchlist()
        const current = toWatchlist(row)
        if (current.version !== version) throw StoreErrors.staleWatchlist()
        const [updated] = await tx`UPDATE watchlists SET name = ${name ?? current.name}, symbols = ${JSON.stringify(symbols ?? current.symbols)}, version = version + 1
          WHERE id = ${id} RETURNING id, name, symbols, version`
        return { list: toWatchlist(updated!), rev: await bump(tx, userId) }
      })
    },
    async delete (userId, id) {
      return sql.begin(async (tx) => {
        await lockUser(tx, userId)
        if ((await tx`DELETE FROM watchlists WHERE id = ${id} AND user_id = ${userId}`).count === 0) return null
        await renumber(tx, (await listsOf(tx, userId)).map((list) => list.id))
        return bump(tx, userId)
      })
    },
    async move (userId, id, index) {
      return sql.begin(async (tx) => {
        await lockUser(tx, userId)
        const ids = (await listsOf(tx, userId)).map((list) => list.id)
        const at = ids.indexOf(id)
        if (at === -1) return null
        ids.splice(at, 1)
        ids.splice(Math.min(index, ids.length), 0, id)
        await renumber(tx, ids)
        return bump(tx, userId)
      })
    },
    async merge ({ userId, name, symbols, now, maxSymbols }) {
      return sql.begin(async (tx) => {
        await lockUser(tx, userId)
        const first = (await listsOf(tx, userId))[0]
        if (first === undefined) {
          const id = newId()
          const kept = [...new Set(symbols)].slice(0, maxSymbols)
          await tx`INSERT INTO watchlists (id, user_id, name, position, symbols, version, created_at)
            VALUES (${id}, ${userId}, ${name}, 0, ${JSON.stringify(kept)}, 1, ${now})`
          return { list: { id, name, symbols: kept, version: 1 }, rev: await bump(tx, userId) }
        }
        const have = new Set(first.symbols)
        const added = symbols.filter((symbol) => !have.has(symbol) && have.add(symbol))
        const merged = [...first.symbols, ...added].slice(0, maxSymbols)
        if (merged.length === first.symbols.length) return { list: first, rev: await revOf(tx, userId) }
        const [updated] = await tx`UPDATE watchlists SET symbols = ${JSON.stringify(merged)}, version = version + 1
          WHERE id = ${first.id} RETURNING id, name, symbols, version`
        return { list: toWatchlist(updated!), rev: await bump(tx, userId) }
      })
    }
  }
}
