import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { describe, it } from 'node:test'
import { buildEmojiData } from '../../client/src/chat/emoji/emoji-data.ts'
import { matchEmoji } from '../../client/src/chat/emoji/match-emoji.ts'
import { findShortcodeQuery } from '../../client/src/chat/emoji/shortcode-query.ts'

// The same data the app ships (emojibase-data), read as the bundler would.
const require = createRequire(import.meta.url)
const json = (path: string) => JSON.parse(readFileSync(require.resolve(path), 'utf8'))
const data = buildEmojiData(json('emojibase-data/en/compact.json'), json('emojibase-data/en/shortcodes/github.json'))
const codes = (query: string, limit = 5) => matchEmoji(data.emojis, query, limit).map((emoji) => emoji.shortcodes[0])

describe('buildEmojiData', () => {
  it('keeps the nine categories one sends from, without skin-tone components', () => {
    assert.deepEqual(data.groups.map((group) => group.name), ['Smileys & emotion', 'People & body', 'Animals & nature', 'Food & drink', 'Travel & places', 'Activities', 'Objects', 'Symbols', 'Flags'])
    assert.ok(data.emojis.length > 1800, `expected the full set, saw ${data.emojis.length}`)
    assert.ok(!data.emojis.some((emoji) => emoji.group === 2), 'no component emoji')
    assert.equal(data.emojis[0]!.emoji, '😀')
  })
})

describe('matchEmoji', () => {
  it('puts shortcodes that start with the query first', () => {
    const found = codes(':smi'.slice(1), 8)
    assert.ok(found.slice(0, 2).every((code) => code!.startsWith('smi')), `saw ${found.join(', ')}`)
    assert.ok(found.includes('smile') && found.includes('smiley'), `saw ${found.join(', ')}`)
  })

  it('puts an exact shortcode before everything', () => {
    assert.equal(codes('tada')[0], 'tada')
    assert.equal(codes('+1')[0], '+1')
    assert.equal(codes('heart')[0], 'heart')
  })

  it('finds by a later word of a shortcode, then by name and tags', () => {
    assert.ok(codes('smiling', 20).includes('slightly_smiling_face'), codes('smiling', 20).join(', '))
    assert.equal(matchEmoji(data.emojis, 'party', 10).some((emoji) => emoji.emoji === '🎉'), true)
  })

  it('ignores case and reads spaces as underscores, and finds nothing for nonsense', () => {
    assert.deepEqual(codes('Thumbs Up', 1), codes('thumbs_up', 1))
    assert.deepEqual(codes('zzqqxx'), [])
  })

  it('returns at most the limit', () => {
    assert.equal(matchEmoji(data.emojis, 'a', 8).length, 8)
  })
})

describe('findShortcodeQuery', () => {
  it('finds the :query being typed before the caret', () => {
    assert.deepEqual(findShortcodeQuery('hi :smi', 7), { start: 3, query: 'smi' })
    assert.deepEqual(findShortcodeQuery(':+1', 3), { start: 0, query: '+1' })
    assert.deepEqual(findShortcodeQuery('(:Tada and more', 6), { start: 1, query: 'tada' })
  })

  it('needs two characters after the colon and a space or start before it', () => {
    assert.equal(findShortcodeQuery('hi :s', 5), null)
    assert.equal(findShortcodeQuery('at 10:30', 8), null)
    assert.equal(findShortcodeQuery('see https://x', 13), null)
    assert.equal(findShortcodeQuery('hi :smile: ', 11), null)
    assert.equal(findShortcodeQuery('hi :smi le', 10), null)
  })
})
