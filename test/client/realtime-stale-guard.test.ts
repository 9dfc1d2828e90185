import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createStaleGuard } from '../../client/src/realtime/stale-guard.ts'

describe('createStaleGuard', () => {
  it('keeps an answer current while nothing moved the guard on', () => {
    const guard = createStaleGuard()
    const stale = guard.stamp()
    assert.equal(stale(), false)
  })

  it('makes every answer asked for before invalidate() stale, and not those asked for after', () => {
    const guard = createStaleGuard()
    const first = guard.stamp()
    const second = guard.stamp()
    guard.invalidate()
    const third = guard.stamp()
    assert.deepEqual([first(), second(), third()], [true, true, false])
  })

  it('lets only the newest of superseding requests apply', () => {
    const guard = createStaleGuard()
    const older = guard.supersede()
    const newer = guard.supersede()
    assert.deepEqual([older(), newer()], [true, false])
  })

  it('keeps separate guards apart', () => {
    const socketAnswers = createStaleGuard()
    const httpAnswers = createStaleGuard()
    const stale = httpAnswers.stamp()
    socketAnswers.invalidate()
    assert.equal(stale(), false)
  })
})
