import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Member } from '../../shared/chat.ts'
import { findMentionQuery, isInsideCode, mentionCandidates } from '../../client/src/chat/mention/mention-query.ts'

describe('findMentionQuery', () => {
  it('finds the @name before the caret, at the start, after a space or a bracket', () => {
    assert.deepEqual(findMentionQuery('hi @al', 6), { start: 3, query: 'al' })
    assert.deepEqual(findMentionQuery('@Al', 3), { start: 0, query: 'al' })
    assert.deepEqual(findMentionQuery('(@bob.s and more', 7), { start: 1, query: 'bob.s' })
    assert.deepEqual(findMentionQuery('hi @', 4), { start: 3, query: '' })
  })

  it('finds nothing inside an address, past a space or inside code', () => {
    assert.equal(findMentionQuery('mail a@b.c', 10), null)
    assert.equal(findMentionQuery('hi @al ', 7), null)
    assert.equal(findMentionQuery('hi @al!', 7), null)
    assert.equal(findMentionQuery('run `npm @al', 12), null)
    assert.equal(findMentionQuery('```\n@al', 7), null)
  })

  it('finds it again after a closed code span or block', () => {
    assert.deepEqual(findMentionQuery('`x` @al', 7), { start: 4, query: 'al' })
    assert.deepEqual(findMentionQuery('```\nx\n```\n@al', 13), { start: 10, query: 'al' })
  })
})

describe('isInsideCode', () => {
  it('counts backticks on the caret line and fences before it', () => {
    assert.equal(isInsideCode('a `b', 4), true)
    assert.equal(isInsideCode('a `b`\nc', 7), false)
    assert.equal(isInsideCode('```js\ncode', 10), true)
  })
})

describe('mentionCandidates', () => {
  const member = (id: string, username: string, online: boolean): Member => ({ id, username, online })
  const members = [
    member('1', 'alice', true),
    member('2', 'bob', false),
    member('3', 'Bea', true),
    member('4', 'barbara', false),
    member('5', 'Ben', true)
  ]

  it('lists the members starting with the query, case-insensitively, online first and then by name', () => {
    const seen = mentionCandidates(members, 'B', null, 8).map((each) => each.username)
    assert.deepEqual(seen, ['Bea', 'Ben', 'barbara', 'bob'])
  })

  it('leaves oneself out and stops at the limit', () => {
    assert.deepEqual(mentionCandidates(members, '', '1', 2).map((each) => each.username), ['Bea', 'Ben'])
    assert.deepEqual(mentionCandidates(members, 'ali', '1', 8), [])
  })

  it('never offers an old account named like a mention word: @room calls the whole room', () => {
    const withRoom = [...members, member('6', 'Room', true), member('7', 'roomba', true)]
    assert.deepEqual(mentionCandidates(withRoom, 'roo', null, 8).map((each) => each.username), ['roomba'])
  })

  it('finds a member by a word of their display name too, and sorts by the name shown', () => {
    const displayNames = new Map([['2', 'Zed Bobson'], ['4', 'Anna Liddell'], ['5', 'Liddy']])
    const displayNameOf = (each: Member) => displayNames.get(each.id) ?? ''
    assert.deepEqual(mentionCandidates(members, 'lid', null, 8, displayNameOf).map((each) => each.username), ['Ben', 'barbara'],
      'a word of the display name counts, online first')
    assert.deepEqual(mentionCandidates(members, 'b', null, 8, displayNameOf).map((each) => each.username), ['Bea', 'Ben', 'barbara', 'bob'],
      'online first, then by the name shown: "Anna Liddell" before "Zed Bobson"')
    assert.deepEqual(mentionCandidates(members, 'zed', null, 8, displayNameOf).map((each) => each.username), ['bob'])
    assert.deepEqual(mentionCandidates(members, 'ddell', null, 8, displayNameOf), [], 'only the start of a word counts')
  })
})
