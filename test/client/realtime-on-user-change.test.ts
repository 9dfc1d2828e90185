import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { signal } from '@preact/signals'
import { onUserChange } from '../../client/src/realtime/on-user-change.ts'

type TestUser = { id: string, username: string }
const alice: TestUser = { id: 'u1', username: 'alice' }
const bob: TestUser = { id: 'u2', username: 'bob' }

describe('onUserChange', () => {
  it('is not called while nobody is signed in, then for each other user and for signing out', () => {
    const user = signal<TestUser | null>(null)
    const seen: Array<string | null> = []
    const stop = onUserChange(user, (current) => { seen.push(current?.username ?? null) })
    user.value = alice
    user.value = { ...alice }
    user.value = bob
    user.value = null
    user.value = null
    stop()
    assert.deepEqual(seen, ['alice', 'bob', null], 'the same user again (a new object) is no change')
  })

  it('is called at once for a user already signed in', () => {
    const user = signal<TestUser | null>(alice)
    const seen: Array<string | null> = []
    const stop = onUserChange(user, (current) => { seen.push(current?.username ?? null) })
    stop()
    user.value = bob
    assert.deepEqual(seen, ['alice'], 'nothing after stop()')
  })

  it('does not re-run for signals the callback reads', () => {
    const user = signal<TestUser | null>(null)
    const other = signal(0)
    let calls = 0
    const stop = onUserChange(user, () => { calls += other.value + 1 })
    user.value = alice
    other.value = 10
    stop()
    assert.equal(calls, 1)
  })
})
