import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createHistogram, mergeHistograms, summarize } from '../../bench/lib/histogram.ts'
import { benchText, parseBenchText } from '../../bench/lib/wire.ts'
import { expectedTickFrames } from '../../bench/lib/tick-frames.ts'

describe('bench wire texts', () => {
  it('reads back who sent a message, its number and when', () => {
    assert.deepEqual(parseBenchText(benchText(17, 4031, 1795633120645.125)), { sender: 17, n: 4031, sentAt: 1795633120645.125 })
  })

  it('ignores texts that are not the generator\'s', () => {
    for (const text of ['', 'hello', 'bench', 'bench 1 2', 'bench 1 2 3 4', 'benchx 1 2 3', 'Bench 1 2 3']) {
      assert.equal(parseBenchText(text), null, text)
    }
  })
})

describe('bench histogram', () => {
  it('gives percentiles to within 1% and the exact max', () => {
    const histogram = createHistogram()
    for (let i = 1; i <= 1000; i++) histogram.record(i / 10)
    const summary = summarize(histogram.toJSON())
    assert.equal(summary.count, 1000)
    assert.equal(summary.max, 100)
    for (const [p, expected] of [[50, 50], [95, 95], [99, 99]] as const) {
      const value = summary[`p${p}`]
      assert.ok(Math.abs(value - expected) <= expected * 0.01 + 1e-9, `p${p}: ${value} is not within 1% of ${expected}`)
    }
  })

  it('keeps values beyond its first buckets, merges, and resets', () => {
    const a = createHistogram()
    const b = createHistogram()
    a.record(0.0005)
    a.record(10 * 60_000) // ten minutes: past the first 2,048 buckets
    b.record(5)
    const merged = summarize(mergeHistograms([a.toJSON(), b.toJSON()]))
    assert.equal(merged.count, 3)
    assert.equal(merged.max, 600_000)
    assert.ok(Math.abs(merged.p50 - 5) <= 0.05, `p50 ${merged.p50}`)
    a.reset()
    assert.deepEqual(a.toJSON(), { count: 0, sum: 0, max: 0, buckets: [] })
  })
})

describe('bench ticker frames expected', () => {
  it('expects one frame per tick from each client\'s first frame to its last, and every tick from a client that got none', () => {
    const stamps = [100, 350, 600, 850, 1100]
    assert.equal(expectedTickFrames(stamps, [{ first: 100, last: 1100 }]), 5)
    // Cut by the window's edges: the ticks before its first and after its last frame are not its to miss.
    assert.equal(expectedTickFrames(stamps, [{ first: 350, last: 850 }]), 3)
    assert.equal(expectedTickFrames(stamps, [null]), 5, 'a client with no frame misses every tick')
    assert.equal(expectedTickFrames(stamps, [{ first: 600, last: 600 }, { first: 100, last: 350 }, null]), 1 + 2 + 5)
  })
})
