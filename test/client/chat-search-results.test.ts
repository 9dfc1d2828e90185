import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { SearchHit } from '../../shared/chat.ts'
import { applyAnswer, describeSearchError, noSearch, startMore, startSearch } from '../../client/src/chat/search/search-results.ts'
import { msg } from './chat-fixtures.ts'

const hit = (seq: number): SearchHit => ({ message: msg(seq), room: { id: 'r1', name: 'general', visibility: 'public' } })
const page = (seqs: number[], nextCursor: string | null) => ({ ok: true as const, data: { hits: seqs.map(hit), nextCursor } })
const shown = (hits: readonly SearchHit[]) => hits.map((h) => h.message.seq)

describe('search results', () => {
  it('asks nothing for an empty box, and refuses an invalid query at once with the parser\'s reason', () => {
    assert.deepEqual(startSearch(noSearch, '   ').request, null)
    const { results, request } = startSearch(noSearch, 'deploy before:2026-13-01')
    assert.equal(request, null)
    assert.equal(results.status, 'failed')
    assert.match(describeSearchError(results.error!), /before: a day as YYYY-MM-DD, not "2026-13-01"/)
  })

  it('loads the first page, then the next ones by cursor, newest first and each hit once', () => {
    const first = startSearch(noSearch, 'deplo from:bob')
    assert.deepEqual(first.request, { query: 'deplo from:bob' })
    assert.deepEqual(first.results.terms, ['deplo'])
    let results = applyAnswer(first.results, first.request!, page([9, 8], 'c1'))
    assert.equal(results.status, 'ready')
    const more = startMore(results)
    assert.deepEqual(more.request, { query: 'deplo from:bob', cursor: 'c1' })
    assert.equal(startMore(more.results).request, null, 'one page at a time')
    results = applyAnswer(more.results, more.request!, page([8, 5, 3], null))
    assert.deepEqual(shown(results.hits), [9, 8, 5, 3])
    assert.equal(startMore(results).request, null, 'no cursor, no next page')
  })

  it('drops the answer to a query that was replaced meanwhile, first page or next', () => {
    const old = startSearch(noSearch, 'dep')
    let results = applyAnswer(old.results, old.request!, page([7], 'c1'))
    const more = startMore(results)
    const current = startSearch(more.results, 'deploy')
    results = applyAnswer(current.results, old.request!, page([1], null))
    results = applyAnswer(results, more.request!, page([2], null))
    assert.equal(results.status, 'loading', 'still waiting for "deploy"')
    assert.equal(results.more, 'idle')
    results = applyAnswer(results, current.request!, page([4], null))
    assert.deepEqual(shown(results.hits), [4])
    assert.equal(results.query, 'deploy')
  })

  it('keeps the hits held when the next page fails, and says to wait when rate limited', () => {
    const first = startSearch(noSearch, 'x')
    const more = startMore(applyAnswer(first.results, first.request!, page([3], 'c')))
    const error = { code: 'rate_limited' as const, message: 'You are searching too fast.', retryAfterMs: 2500 }
    const results = applyAnswer(more.results, more.request!, { ok: false, error })
    assert.deepEqual(shown(results.hits), [3])
    assert.equal(results.more, 'failed')
    assert.equal(describeSearchError(results.error!), 'You’re searching too fast. Wait 3 seconds, then try again.')
    assert.deepEqual(startMore(results).request?.cursor, 'c', 'the same page can be asked again')
  })
})
