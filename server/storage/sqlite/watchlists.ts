import type { DatabaseSync } from 'node:sqlite'
import { newId } from '../ids.ts'
import { StoreErrors, toWatchlist } from '../rows.ts'
import type { WatchlistStore } from '../types.ts'
import { transaction } from './open-sqlite.ts'

const COLUMNS = 'id, name, symbols, version'

export function createSqliteWatchlistStore (db: DatabaseSync): WatchlistStore {
  const q = {
    lists: db.prepare(`SELECT ${COLUMNS} FROM watchlists WHERE user_id = ? ORDER BY position, created_at, rowid`),
    rev: db.prepare('SELECT rev FROM watchlist_revs WHERE user_id = ?'),
    bump: db.prepare('INSERT INTO watchlist_revs (user_id, rev) VALUES (?, 1) ON CONFLICT (user_id) DO UPDATE SET rev = rev + 1 RETURNING rev'),
    one: db.prepare(`SELECT ${COLUMNS} FROM watchlists WHERE id = ? AND user_id = ?`),
    insert: db.prepare('INSERT INTO watchlists (id, user_id, name, position, symbols, version, created_at) VALUES (?, ?, ?, ?, ?, 1, ?)'),
    update: db.prepare(`UPDATE watchlists SET name = ?, symbols = ?, version = version + 1 WHERE id = ? AND user_id = ? RETURNING ${COLUMNS}`),
    remove: db.prepare('DELETE FROM watchlists WHERE id = ? AND user_id = ?'),
    place: db.prepare('UPDATE watchlists SET position = ? WHERE id = ?')
  }
  const bump = (userId: string) => (q.bump.get(userId) as { rev: number }).rev
  const listsOf = (userId: string) => q.lists.all(userId).map(toWatchlist)
  /** Positions 0..n-1 in this order. */
  const renumber = (ids: readonly string[]) => ids.forEach((id, i) => q.place.run(i, id))

  return {
    async list (userId) {
      return { lists: listsOf(userId), rev: (q.rev.get(userId) as { rev: number } | undefined)?.rev ?? 0 }
    },
    async create ({ userId, name, symbols, now, maxLists }) {
      return transaction(db, () => {
        const lists = listsOf(userId)
        if (lists.length >= maxLists) throw StoreErrors.tooManyWatchlists(maxLists)
        const id = newId()
        q.insert.run(id, userId, name, lists.length, JSON.stringify(symbols), now)
        return { list: { id, name, symbols, version: 1 }, rev: bump(userId) }
      })
    },
    async update ({ userId, id, version, name, symbols }) {
      return transaction(db, () => {
        const row = q.one.get(id, userId)
        if (row === undefined) throw StoreErrors.noSuchWatchlist()
        const current = toWatchlist(row)
        if (current.version !== version) throw StoreErrors.staleWatchlist()
        const list = toWatchlist(q.update.get(name ?? current.name, JSON.stringify(symbols ?? current.symbols), id, userId)!)
        return { list, rev: bump(userId) }
      })
    },
    async delete (userId, id) {
      return transaction(db, () => {
        if (Number(q.remove.run(id, userId).changes) === 0) return null
        renumber(listsOf(userId).map((list) => list.id))
        return bump(userId)
      })
    },
    async move (userId, id, index) {
      return transaction(db, () => {
        const ids = listsOf(userId).map((list) => list.id)
        const at = ids.indexOf(id)
        if (at === -1) return null
        ids.splice(at, 1)
        ids.splice(Math.min(index, ids.length), 0, id)
        renumber(ids)
        return bump(userId)
      })
    },
    async merge ({ userId, name, symbols, now, maxSymbols }) {
      return transaction(db, () => {
        const first = listsOf(userId)[0]
        if (first === undefined) {
          const id = newId()
          const kept = [...new Set(symbols)].slice(0, maxSymbols)
          q.insert.run(id, userId, name, 0, JSON.stringify(kept), now)
          return { list: { id, name, symbols: kept, version: 1 }, rev: bump(userId) }
        }
        const have = new Set(first.symbols)
        const added = symbols.filter((symbol) => !have.has(symbol) && have.add(symbol))
        const merged = [...first.symbols, ...added].slice(0, maxSymbols)
        if (merged.length === first.symbols.length) return { list: first, rev: (q.rev.get(userId) as { rev: number } | undefined)?.rev ?? 0 }
        const list = toWatchlist(q.update.get(first.name, JSON.stringify(merged), first.id, userId)!)
        return { list, rev: bump(userId) }
      })
    }
  }
}
