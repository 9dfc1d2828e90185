import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createTypingSender, describeTypers, noTypers, pruneTypers, setTyper, TYPING_TTL_MS } from '../../client/src/chat/typing.ts'
import { alice, bob } from './chat-fixtures.ts'

describe('who is typing', () => {
  it('expires without a refresh, and a refresh keeps it', () => {
    let typers = setTyper(noTypers, alice, true, 0)
    typers = setTyper(typers, bob, true, 3000)
    let pruned = pruneTypers(typers, TYPING_TTL_MS)
    assert.deepEqual([...pruned.typers.keys()], [bob.id], 'alice expired, bob is fresh')
    assert.equal(pruned.nextExpiry, 3000 + TYPING_TTL_MS)
    typers = setTyper(pruned.typers, bob, true, 8000)
    pruned = pruneTypers(typers, 3000 + TYPING_TTL_MS)
    assert.deepEqual([...pruned.typers.keys()], [bob.id], 'a refresh moves the expiry')
    assert.equal(pruneTypers(noTypers, 0).nextExpiry, null)
  })

  it('stops on "stopped typing"', () => {
    const typers = setTyper(setTyper(noTypers, alice, true, 0), alice, false, 1)
    assert.equal(typers.size, 0)
    assert.equal(setTyper(noTypers, alice, false, 0), noTypers, 'stopping an unknown typer changes nothing')
  })

  it('reads naturally', () => {
    assert.equal(describeTypers([]), '')
    assert.equal(describeTypers(['alice']), 'alice is typing…')
    assert.equal(describeTypers(['bob', 'alice']), 'alice and bob are typing…')
    assert.equal(describeTypers(['carol', 'bob', 'alice']), 'alice, bob and carol are typing…')
    assert.equal(describeTypers(['a', 'b', 'c', 'd']), 'Several people are typing…')
  })
})

describe('createTypingSender', () => {
  it('says "typing" at most every refresh interval and "stopped" once', () => {
    const sent: boolean[] = []
    let now = 0
    const sender = createTypingSender((typing) => sent.push(typing), () => now, 2000)
    sender.input(true)
    now = 500
    sender.input(true)
    now = 1999
    sender.input(true)
    assert.deepEqual(sent, [true])
    now = 2000
    sender.input(true)
    assert.deepEqual(sent, [true, true])
    sender.input(false)
    sender.stop()
    assert.deepEqual(sent, [true, true, false], 'emptying the field stops, once')
    sender.input(true)
    assert.deepEqual(sent, [true, true, false, true], 'typing again starts again at once')
  })

  it('says nothing on stop when it never said "typing"', () => {
    const sent: boolean[] = []
    createTypingSender((typing) => sent.push(typing), () => 0).stop()
    assert.deepEqual(sent, [])
  })
})
