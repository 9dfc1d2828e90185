import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { planJump } from '../../client/src/chat/search/jump-plan.ts'
import { applyLatestPage, emptyTimeline } from '../../client/src/chat/timeline.ts'
import { range } from './chat-fixtures.ts'

describe('planJump', () => {
  const latest = applyLatestPage(emptyTimeline(), range(951, 1000), true, 1000).timeline

  it('opens the room at a message it holds, or one within reach of the newest', () => {
    assert.deepEqual(planJump(latest, 1000, 960, 100), { kind: 'room' })
    assert.deepEqual(planJump(latest, 1000, 901, 100), { kind: 'room' })
    assert.deepEqual(planJump(emptyTimeline(1000), 1000, 950, 100), { kind: 'room' }, 'a room followed from afar')
  })

  it('loads the context of a message farther back on its own, the message in the middle', () => {
    assert.deepEqual(planJump(latest, 1000, 900, 100), { kind: 'context', before: 926, limit: 50 })
    assert.deepEqual(planJump(emptyTimeline(), 1000, 3, 100), { kind: 'context', before: 29, limit: 50 }, 'a room not followed: its listed lastSeq counts')
  })
})
