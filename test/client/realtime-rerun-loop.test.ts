import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createRerunLoop } from '../../client/src/realtime/rerun-loop.ts'

/** A pass that waits until the test lets it finish, counting how often it ran. */
const gatedPass = () => {
  const releases: Array<() => void> = []
  let passes = 0
  const pass = () => {
    passes++
    return new Promise<void>((resolve) => { releases.push(resolve) })
  }
  /** Lets the pass on its way end, then lets the loop decide whether to go round again. */
  const release = async () => {
    releases.shift()?.()
    await new Promise((resolve) => setImmediate(resolve))
  }
  return { pass, release, passes: () => passes, waiting: () => releases.length }
}

describe('createRerunLoop', () => {
  it('runs one pass when called once', async () => {
    const gate = gatedPass()
    const loop = createRerunLoop(gate.pass)
    const done = loop.run()
    assert.equal(loop.isRunning(), true)
    await gate.release()
    await done
    assert.equal(gate.passes(), 1)
    assert.equal(loop.isRunning(), false)
  })

  it('turns a burst of calls during a pass into one more pass, and callers share its promise', async () => {
    const gate = gatedPass()
    const loop = createRerunLoop(gate.pass)
    const first = loop.run()
    const second = loop.run()
    const third = loop.run()
    assert.equal(second, first, 'a caller during a pass gets the running loop')
    assert.equal(third, first)
    await gate.release()
    assert.equal(gate.passes(), 2, `expected one more pass after the burst, saw ${gate.passes()} passes`)
    await gate.release()
    await first
    assert.equal(gate.passes(), 2)
  })

  it('goes round again on rerunIfRunning() only while a pass runs', async () => {
    const gate = gatedPass()
    const loop = createRerunLoop(gate.pass)
    loop.rerunIfRunning()
    assert.equal(gate.passes(), 0, 'nothing starts when no pass runs')
    const done = loop.run()
    loop.rerunIfRunning()
    await gate.release()
    await gate.release()
    await done
    assert.equal(gate.passes(), 2)
  })

  it('drops a round asked for when cancelRerun() comes before the pass ends', async () => {
    const gate = gatedPass()
    const loop = createRerunLoop(gate.pass)
    const done = loop.run()
    loop.run()
    loop.cancelRerun()
    await gate.release()
    await done
    assert.equal(gate.passes(), 1)
  })

  it('starts afresh after a pass that threw', async () => {
    let passes = 0
    const loop = createRerunLoop(async () => {
      passes++
      if (passes === 1) throw new Error('first pass fails')
    })
    await assert.rejects(loop.run(), /first pass fails/)
    assert.equal(loop.isRunning(), false)
    await loop.run()
    assert.equal(passes, 2)
  })
})
