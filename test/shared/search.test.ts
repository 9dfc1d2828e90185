import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { highlightRanges, parseSearchQuery } from '../../shared/search.ts'

describe('parseSearchQuery', () => {
  const parsed = (text: string) => {
    const result = parseSearchQuery(text)
    assert.ok(result.ok, `${text}: ${JSON.stringify(result)}`)
    return result.query
  }

  it('keeps the words in lower case, once each, split where search splits them', () => {
    assert.deepEqual(parsed('Deploy  the API, deploy!'), { terms: ['deploy', 'the', 'api'], hasLink: false })
    assert.deepEqual(parsed('e-mail café Straße 42'), { terms: ['e', 'mail', 'café', 'straße', '42'], hasLink: false })
  })

  it('reads the filters, with or without # and @, days in UTC', () => {
    assert.deepEqual(parsed('in:#general from:@Bob has:link walrus after:2026-11-29 before:2026-12-01'), {
      terms: ['walrus'],
      room: 'general',
      from: 'Bob',
      hasLink: true,
      after: Date.UTC(2026, 10, 30),
      before: Date.UTC(2026, 11, 1)
    })
    assert.deepEqual(parsed('from:alice'), { terms: [], from: 'alice', hasLink: false }, 'a filter alone is a query')
  })

  it('treats an unknown filter and an empty one as words', () => {
    assert.deepEqual(parsed('is:pinned in:'), { terms: ['is', 'pinned', 'in'], hasLink: false })
  })

  it('refuses a query with nothing to look for, too many words, or a day that does not exist', () => {
    for (const [text, reason] of [
      ['?!', /a word to look for/],
      ['a b c d e f g h i', /at most 8 words/],
      ['x before:2026-02-29', /before: a day/],
      ['x after:26-01-01', /after: a day/]
    ] as const) {
      const result = parseSearchQuery(text)
      assert.ok(!result.ok, text)
      assert.match(result.reason, reason, text)
    }
  })
})

describe('highlightRanges', () => {
  it('marks the start of each word that a term begins, as long as the longest such term', () => {
    const text = 'Deploying the API: deploy, redeploy, DEPLOYMENT'
    const marked = highlightRanges(text, ['deploy', 'deployme']).map(([start, end]) => text.slice(start, end))
    assert.deepEqual(marked, ['Deploy', 'deploy', 'DEPLOYME'], 'not inside "redeploy"')
    assert.deepEqual(highlightRanges(text, []), [])
  })

  it('marks a one-character term only where it is the whole word', () => {
    const text = 'a plan: I am at 5, 50 apples'
    assert.deepEqual(highlightRanges(text, ['a', '5']).map(([start, end]) => text.slice(start, end)), ['a', '5'])
  })

  it('never reaches past a word whose lower case is longer than it', () => {
    assert.deepEqual(highlightRanges('İ x', ['i̇']), [[0, 1]])
  })
})
