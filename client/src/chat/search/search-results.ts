import type { SearchHit, SearchPage } from '../../../../shared/chat.ts'
import type { AckResult, ErrorInfo } from '../../../../shared/protocol.ts'
import { parseSearchQuery } from '../../../../shared/search.ts'

/**
 * The search dialog's results as a value: what was asked, the hits of the pages loaded so far
 * (newest first), the cursor of the next page. An answer applies only to the request it answers
 * (the same query, the same page), so a slow answer to an older query never replaces the results
 * of the newer one.                                                                      (pure)
 */
export interface SearchResults {
  /** The query the hits answer (or the one being asked, while loading). */
  readonly query: string
  /** Its words, for highlighting. */
  readonly terms: readonly string[]
  readonly hits: readonly SearchHit[]
  readonly nextCursor: string | null
  /** `idle`: nothing asked (an empty box). */
  readonly status: 'idle' | 'loading' | 'ready' | 'failed'
  /** Loading the next page ("Load more"). */
  readonly more: 'idle' | 'loading' | 'failed'
  /** Why the query or the next page failed. */
  readonly error: ErrorInfo | null
}

/** What to send: the query, and the cursor of the page wanted (none for the first). */
export interface SearchRequest {
  query: string
  cursor?: string
}

export const noSearch: SearchResults = { query: '', terms: [], hits: [], nextCursor: null, status: 'idle', more: 'idle', error: null }

/**
 * A new query typed: its first page is wanted, unless the box is empty (nothing to ask) or the
 * query cannot run (the reason is shown at once, with the parser the server uses). The hits of
 * the previous query stay on screen until the new ones arrive.
 */
export const startSearch = (results: SearchResults, text: string): { results: SearchResults, request: SearchRequest | null } => {
  const query = text.trim()
  if (query === '') return { results: noSearch, request: null }
  const parsed = parseSearchQuery(query)
  if (!parsed.ok) {
    const error = { code: 'invalid_payload', message: parsed.reason } as const
    return { results: { ...noSearch, query, status: 'failed', error }, request: null }
  }
  return {
    results: { ...results, query, terms: parsed.query.terms, status: 'loading', more: 'idle', error: null },
    request: { query }
  }
}

/** "Load more": the next page, when there is one and none is on its way. */
export const startMore = (results: SearchResults): { results: SearchResults, request: SearchRequest | null } => {
  if (results.status !== 'ready' || results.nextCursor === null || results.more === 'loading') return { results, request: null }
  return {
    results: { ...results, more: 'loading', error: null },
    request: { query: results.query, cursor: results.nextCursor }
  }
}

/** The answer to a request; dropped unless the results are still waiting for just that. */
export const applyAnswer = (results: SearchResults, request: SearchRequest, answer: AckResult<SearchPage>): SearchResults => {
  if (request.query !== results.query) return results
  if (request.cursor === undefined) {
    if (results.status !== 'loading') return results
    return answer.ok
      ? { ...results, hits: answer.data.hits, nextCursor: answer.data.nextCursor, status: 'ready', error: null }
      : { ...results, hits: [], nextCursor: null, status: 'failed', error: answer.error }
  }
  if (results.more !== 'loading' || request.cursor !== results.nextCursor) return results
  if (!answer.ok) return { ...results, more: 'failed', error: answer.error }
  // A message edited between two pages could come twice: keep its first place.
  const held = new Set(results.hits.map((hit) => hit.message.id))
  const hits = [...results.hits, ...answer.data.hits.filter((hit) => !held.has(hit.message.id))]
  return { ...results, hits, nextCursor: answer.data.nextCursor, more: 'idle', error: null }
}

/** What to tell the user about a failed search, in a sentence. */
export const describeSearchError = (error: ErrorInfo): string => {
  switch (error.code) {
    case 'invalid_payload': return `This search can’t run: ${error.message.replace(/^query: /u, '')}.`
    case 'rate_limited': {
      const seconds = Math.max(1, Math.ceil((error.retryAfterMs ?? 1000) / 1000))
      return `You’re searching too fast. Wait ${seconds} second${seconds === 1 ? '' : 's'}, then try again.`
    }
    case 'unavailable': return 'Search needs a connection to the server. Try again once you’re back online.'
    default: return 'Search failed on our side. Try again in a moment.'
  }
}
