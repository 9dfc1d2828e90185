import type { Quote } from '../../../shared/ticker.ts'

/** The sortable columns of the board. */
export const SortKeys = {
  symbol: 'symbol',
  name: 'name',
  price: 'price',
  change: 'change',
  changePct: 'changePct',
  volume: 'volume'
} as const
export type SortKey = typeof SortKeys[keyof typeof SortKeys]

export type SortDirection = 'ascending' | 'descending'

export interface SortState {
  key: SortKey
  direction: SortDirection
}

/** Columns whose order changes with the stream (symbol and name never move). */
export const isLiveSortKey = (key: SortKey) => key !== 'symbol' && key !== 'name'

/**
 * The sort after a click on a column header: the same column flips its direction; a new column
 * starts ascending for text and descending for numbers (biggest movers first).
 */
export const nextSort = (current: SortState | null, key: SortKey): SortState => {
  if (current?.key === key) return { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' }
  return { key, direction: isLiveSortKey(key) ? 'descending' : 'ascending' }
}

/** What the filter looks at. */
export interface Listed {
  symbol: string
  name: string
  sector: string
}

/** Lower-cased words of a filter; empty means "everything". */
export const filterTerms = (query: string): string[] =>
  query.toLocaleLowerCase().split(/\s+/).filter((term) => term !== '')

/** Every term must appear in the symbol, the name or the sector (case-insensitive). */
export const matchesFilter = (listed: Listed, terms: readonly string[]): boolean => {
  if (terms.length === 0) return true
  const text = `${listed.symbol}\n${listed.name}\n${listed.sector}`.toLocaleLowerCase()
  return terms.every((term) => text.includes(term))
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true })

const compareBy = (key: SortKey): ((a: Quote, b: Quote) => number) => {
  switch (key) {
    case 'symbol': return (a, b) => collator.compare(a.symbol, b.symbol)
    case 'name': return (a, b) => collator.compare(a.name, b.name)
    default: return (a, b) => a[key] - b[key]
  }
}

export interface RowSelection {
  /** Quotes in listing order (the order when nothing is sorted). */
  quotes: readonly Quote[]
  query: string
  watchOnly: boolean
  watchlist: ReadonlySet<string>
  sort: SortState | null
}

/** The symbols the board shows, in the order it shows them. Ties keep listing order. */
export const selectRows = ({ quotes, query, watchOnly, watchlist, sort }: RowSelection): string[] => {
  const terms = filterTerms(query)
  const shown = quotes.filter((quote) => (!watchOnly || watchlist.has(quote.symbol)) && matchesFilter(quote, terms))
  if (sort !== null) {
    const compare = compareBy(sort.key)
    const sign = sort.direction === 'ascending' ? 1 : -1
    // Array.prototype.sort is stable: equal values stay in listing order.
    shown.sort((a, b) => sign * compare(a, b))
  }
  return shown.map((quote) => quote.symbol)
}

/** Whether two row orders are the same (so a re-sort that changed nothing re-renders nothing). */
export const sameRows = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((symbol, i) => symbol === b[i])
