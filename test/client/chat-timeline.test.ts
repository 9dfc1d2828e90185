import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  applyCatchUp, applyDeletion, applyLatestPage, applyMessage, applyOlderPage, applyUpdate, emptyTimeline, hasGap, mergeMessages, newestSeq, oldestSeq
} from '../../client/src/chat/timeline.ts'
import { msg, range, seqs } from './chat-fixtures.ts'

describe('mergeMessages', () => {
  it('unites by seq, sorted, reporting only seqs that are new as added', () => {
    const { messages, added, replaced } = mergeMessages([msg(2), msg(4)], [msg(3), msg(1), msg(4)])
    assert.deepEqual(seqs(messages), [1, 2, 3, 4])
    assert.deepEqual(seqs(added), [3, 1])
    assert.deepEqual(replaced, [], 'an identical copy replaces nothing')
  })

  it('keeps the later state of a message: edits move forward, deletion is final', () => {
    const edited = msg(1, { text: 'edited', editedAt: 5 })
    const deleted = msg(1, { text: '', deleted: true, editedAt: 6 })
    assert.equal(mergeMessages([msg(1)], [edited]).messages[0]?.text, 'edited')
    assert.equal(mergeMessages([edited], [msg(1)]).messages[0]?.text, 'edited', 'a stale copy does not undo an edit')
    assert.equal(mergeMessages([deleted], [edited]).messages[0]?.deleted, true, 'nothing brings a deleted message back')
    assert.deepEqual(mergeMessages([msg(1)], [edited]).replaced, [msg(1)])
  })

  it('returns the same list when nothing changes (no needless re-render)', () => {
    const held = [msg(1)]
    assert.equal(mergeMessages(held, []).messages, held)
    assert.equal(mergeMessages(held, [msg(1)]).messages, held)
  })
})

describe('a timeline followed from afar', () => {
  it('starts at the room\'s last seq, knowing nothing older is needed yet', () => {
    const timeline = emptyTimeline(7)
    assert.equal(timeline.syncedThrough, 7)
    assert.equal(oldestSeq(timeline), 8, 'history starts before the next message')
    assert.equal(newestSeq(timeline), null)
    assert.equal(timeline.startReached, false)
    assert.equal(emptyTimeline(0).startReached, true, 'an empty room has no history')
  })

  it('appends pushes in order and catches up from the last consecutive seq', () => {
    let timeline = emptyTimeline(7)
    let result = applyMessage(timeline, msg(8))
    assert.equal(result.gap, false)
    timeline = result.timeline
    assert.equal(timeline.syncedThrough, 8)
    result = applyMessage(timeline, msg(11))
    assert.equal(result.gap, true, 'seq 11 after 8: 9 and 10 are missing')
    assert.deepEqual(seqs(result.timeline.messages), [8, 11], 'shown at once, gap or not')
    assert.equal(result.timeline.syncedThrough, 8, 'catch up from 8')
    assert.equal(hasGap(result.timeline), true)
    const filled = applyCatchUp(result.timeline, [msg(9), msg(10), msg(11)])
    assert.deepEqual(seqs(filled.timeline.messages), [8, 9, 10, 11])
    assert.equal(filled.timeline.syncedThrough, 11)
    assert.equal(hasGap(filled.timeline), false)
    assert.deepEqual(seqs(filled.added), [9, 10], 'the message already shown is not added twice')
  })

  it('ignores a duplicate push (an ack and a push of the same message)', () => {
    const once = applyMessage(emptyTimeline(0), msg(1)).timeline
    const twice = applyMessage(once, msg(1))
    assert.deepEqual(twice.added, [])
    assert.equal(twice.timeline.messages.length, 1)
    assert.equal(twice.gap, false)
  })

  it('leaves a message older than the held window to history, so no hole opens at the old end', () => {
    const timeline = applyCatchUp(emptyTimeline(40), range(41, 45)).timeline
    const old = applyMessage(timeline, msg(10))
    assert.deepEqual(seqs(old.timeline.messages), [41, 42, 43, 44, 45])
    assert.deepEqual(old.added, [])
    assert.deepEqual(applyMessage(emptyTimeline(40), msg(12)).added, [], 'nor into an empty window')
  })
})

describe('pages', () => {
  it('loads the latest page and then older pages back to the first message', () => {
    let timeline = applyLatestPage(emptyTimeline(120), range(71, 120), true, 120).timeline
    assert.equal(timeline.loaded, true)
    assert.equal(timeline.startReached, false)
    assert.equal(oldestSeq(timeline), 71)
    timeline = applyOlderPage(timeline, range(21, 70), true).timeline
    assert.equal(oldestSeq(timeline), 21)
    timeline = applyOlderPage(timeline, range(1, 20), false).timeline
    assert.equal(timeline.startReached, true)
    assert.deepEqual(seqs(timeline.messages), range(1, 120).map((m) => m.seq))
    assert.equal(timeline.syncedThrough, 120)
  })

  it('knows the start is reached at seq 1 even when the server says there is more', () => {
    assert.equal(applyOlderPage(emptyTimeline(3), range(1, 3), true).timeline.startReached, true)
  })

  it('drops held messages that would leave a hole below a fresh latest page', () => {
    const held = applyCatchUp(emptyTimeline(10), range(11, 15)).timeline
    const result = applyLatestPage(held, range(151, 200), true, 200)
    assert.deepEqual(seqs(result.timeline.messages), range(151, 200).map((m) => m.seq))
    assert.equal(result.timeline.syncedThrough, 200)
  })

  it('keeps held messages that touch the latest page, counting only new ones as added', () => {
    const held = applyCatchUp(emptyTimeline(48), range(49, 52)).timeline
    const result = applyLatestPage(held, range(3, 52), true, 52)
    assert.deepEqual(seqs(result.timeline.messages), range(3, 52).map((m) => m.seq))
    assert.ok(result.added.every((message) => message.seq < 49))
  })

  it('marks an empty room as fully loaded', () => {
    const result = applyLatestPage(emptyTimeline(0), [], false, 0)
    assert.equal(result.timeline.startReached, true)
    assert.equal(result.timeline.loaded, true)
  })
})

describe('edits and deletions', () => {
  it('update held messages only', () => {
    const timeline = applyCatchUp(emptyTimeline(0), range(1, 3)).timeline
    const edited = applyUpdate(timeline, msg(2, { text: 'new text', editedAt: 9 }))
    assert.equal(edited.timeline.messages[1]?.text, 'new text')
    assert.equal(applyUpdate(timeline, msg(9, { text: 'x' })).timeline, timeline, 'an edit outside the window is ignored')
  })

  it('keep a deleted message\'s seq and drop its text', () => {
    const timeline = applyCatchUp(emptyTimeline(0), range(1, 3)).timeline
    const result = applyDeletion(timeline, 'm2', 2)
    assert.deepEqual(seqs(result.timeline.messages), [1, 2, 3])
    assert.equal(result.timeline.messages[1]?.deleted, true)
    assert.equal(result.timeline.messages[1]?.text, '')
    assert.equal(applyDeletion(timeline, 'other-id', 2).timeline, timeline, 'the id must match the seq')
  })
})
