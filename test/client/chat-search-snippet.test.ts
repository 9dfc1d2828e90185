import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { searchSnippet, type SnippetSegment } from '../../client/src/chat/search/search-snippet.ts'

const marked = (segments: SnippetSegment[]) => segments.filter((segment) => segment.match).map((segment) => segment.text)
const joined = (segments: SnippetSegment[]) => segments.map((segment) => segment.text).join('')

describe('searchSnippet', () => {
  it('marks the start of each word the query matched, as typed in the text, and keeps every character', () => {
    const text = 'Deploying now: the DEPLOYMENT of deploy-tools, redeploy later'
    const segments = searchSnippet(text, ['deplo'])
    assert.equal(joined(segments), text)
    assert.deepEqual(marked(segments), ['Deplo', 'DEPLO', 'deplo'], 'word starts only: "redeploy" is not marked')
  })

  it('marks the longest matching term of a word, and nothing without terms', () => {
    assert.deepEqual(marked(searchSnippet('databases and data', ['data', 'databa'])), ['databa', 'data'])
    assert.deepEqual(searchSnippet('from:bob only', []), [{ text: 'from:bob only', match: false }])
  })

  it('leaves markup as text (it is rendered as text nodes)', () => {
    const text = '<img src=x onerror=alert(1)> alert'
    const segments = searchSnippet(text, ['alert'])
    assert.equal(joined(segments), text)
    assert.deepEqual(marked(segments), ['alert', 'alert'])
  })

  it('cuts a long text to a window around its first match, with an ellipsis on each cut side', () => {
    const text = `${'lorem ipsum '.repeat(40)}the needle is here ${'dolor sit '.repeat(40)}`
    const segments = searchSnippet(text, ['needle'], 100)
    const shown = joined(segments)
    assert.ok(shown.startsWith('…') && shown.endsWith('…'), `ellipses on both sides: ${shown}`)
    assert.ok(shown.length <= 102, `at most 100 characters and two ellipses, got ${shown.length}`)
    assert.deepEqual(marked(segments), ['needle'])
    assert.ok(shown.includes('the needle is here'), shown)
    const start = text.indexOf(shown.slice(1, -1))
    assert.ok(start > 0 && text[start - 1] === ' ', `starts at a word: ${shown}`)
  })

  it('keeps the end of a long text when the match is near it', () => {
    const text = `${'words '.repeat(60)}final match`
    const shown = joined(searchSnippet(text, ['match'], 80))
    assert.ok(shown.startsWith('…') && shown.endsWith('final match'), shown)
  })
})
