import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { avatarLook, initialsOf } from '../../client/src/people/avatar-look.ts'

describe('avatarLook', () => {
  it('gives the same look for the same id, and another for another id, whatever the name', () => {
    assert.deepEqual(avatarLook('id-1', 'Alice'), avatarLook('id-1', 'Alice'))
    const looks = new Set(Array.from({ length: 50 }, (_, i) => JSON.stringify({ ...avatarLook(`user-${i}`, 'Same Name'), initials: '' })))
    assert.ok(looks.size >= 48, `50 ids drew ${looks.size} different looks`)
    const { initials: _a, ...before } = avatarLook('id-1', 'Alice')
    const { initials: _b, ...after } = avatarLook('id-1', 'Someone Else')
    assert.deepEqual(after, before, 'a rename keeps the colours')
  })

  it('keeps its hues apart and in range', () => {
    for (let i = 0; i < 200; i++) {
      const { hue, hue2, angle } = avatarLook(`u${i}`, 'x')
      const apart = (hue2 - hue + 360) % 360
      assert.ok(apart >= 40 && apart <= 140, `hues ${hue} and ${hue2} are ${apart} apart`)
      assert.ok(angle >= 0 && angle < 360)
    }
  })
})

describe('initialsOf', () => {
  it('takes the first letters of the first two words, else of the one word', () => {
    assert.equal(initialsOf('Alice Liddell'), 'AL')
    assert.equal(initialsOf('bob'), 'B')
    assert.equal(initialsOf('mary_jane.watson'), 'MJ')
    assert.equal(initialsOf('Émile zola'), 'ÉZ')
    assert.equal(initialsOf('🐇 rabbit'), 'R')
    assert.equal(initialsOf('   '), '?')
  })
})
