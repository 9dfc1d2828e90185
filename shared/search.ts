/**
 * Message search: the query language, shared so that the server applies exactly what the client
 * highlights. Words match words that start with them (`deplo` finds "deploying"; no stemming;
 * a word of one character matches only itself),
 * every word must match; filters narrow: `in:room`, `from:user`, `has:link`,
 * `before:YYYY-MM-DD`, `after:YYYY-MM-DD` (days in UTC; `before` excludes its day, `after` too).
 */

export const SEARCH_QUERY_MAX_LENGTH = 200
export const SEARCH_PAGE = 20
/** Words a query may hold: each one is an index look-up. */
export const SEARCH_MAX_TERMS = 8

export interface SearchQuery {
  /** Lower-case words, each matched as the start of a word. */
  terms: string[]
  /** A room name (`in:`) and a username (`from:`), as typed. */
  room?: string
  from?: string
  hasLink: boolean
  /** Bounds on the message's time, ms since the epoch: before < `before`, after >= `after`. */
  before?: number
  after?: number
}

const WORD = /[\p{L}\p{N}]+/gu
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/
const DAY_MS = 24 * 60 * 60 * 1000

/** The start of a UTC day written YYYY-MM-DD, or null when it is no such day. */
const dayStart = (text: string) => {
  const match = DAY.exec(text)
  if (!match) return null
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const start = Date.UTC(year, month - 1, day)
  const date = new Date(start)
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? start : null
}

/**
 * Whether a term matches the words it starts (`deplo`: "deploying") or only itself: a term of one
 * character matches only that word ("a", "I", "5"), as a prefix it would match a large share of
 * every word there is.
 */
export const isPrefixTerm = (term: string) => term.length > 1

/** The words of a text as search sees them. */
export const searchWords = (text: string) => text.toLowerCase().match(WORD) ?? []

/** A query typed by a user, or the reason it cannot run (for an `invalid_payload` answer). */
export function parseSearchQuery (text: string): { ok: true, query: SearchQuery } | { ok: false, reason: string } {
  const query: SearchQuery = { terms: [], hasLink: false }
  for (const token of text.trim().split(/\s+/u)) {
    const colon = token.indexOf(':')
    const name = colon > 0 ? token.slice(0, colon).toLowerCase() : ''
    const value = token.slice(colon + 1)
    if (name === 'in' && value) query.room = value.replace(/^#/u, '')
    else if (name === 'from' && value) query.from = value.replace(/^@/u, '')
    else if (name === 'has' && value.toLowerCase() === 'link') query.hasLink = true
    else if ((name === 'before' || name === 'after') && value) {
      const start = dayStart(value)
      if (start === null) return { ok: false, reason: `${name}: a day as YYYY-MM-DD, not "${value}"` }
      if (name === 'before') query.before = start
      else query.after = start + DAY_MS
    } else query.terms.push(...searchWords(token))
  }
  query.terms = [...new Set(query.terms)]
  if (query.terms.length > SEARCH_MAX_TERMS) return { ok: false, reason: `at most ${SEARCH_MAX_TERMS} words` }
  if (query.terms.length === 0 && !query.room && !query.from && !query.hasLink) {
    return { ok: false, reason: 'a word to look for, or a filter (in:, from:, has:link)' }
  }
  return { ok: true, query }
}

/** Where the query's words match in a text (the start of a word through the word's length), in order. */
export function highlightRanges (text: string, terms: readonly string[]): Array<[start: number, end: number]> {
  if (terms.length === 0) return []
  const ranges: Array<[number, number]> = []
  for (const match of text.matchAll(WORD)) {
    const word = match[0].toLowerCase()
    const longest = Math.max(0, ...terms.filter((term) => isPrefixTerm(term) ? word.startsWith(term) : word === term).map((term) => term.length))
    // Lower case can be longer than the text it came from (İ): never past the word.
    if (longest > 0) ranges.push([match.index, match.index + Math.min(longest, match[0].length)])
  }
  return ranges
}
