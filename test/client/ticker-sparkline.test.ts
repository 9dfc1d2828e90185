import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { downsample, hasMovement, sparklineArea, sparklinePoints, sparklineTrend } from '../../client/src/ticker/sparkline.ts'

const box = { width: 100, height: 20, pad: 0 }

describe('sparklinePoints', () => {
  it('spreads values across the width, the highest at the top', () => {
    assert.equal(sparklinePoints([1, 3, 2], box), '0,20 50,0 100,10')
  })

  it('keeps the stroke inside the padding', () => {
    assert.equal(sparklinePoints([5, 10], { width: 10, height: 10, pad: 2 }), '0,8 10,2')
  })

  it('draws a flat line through the middle for one value or no movement', () => {
    assert.equal(sparklinePoints([7], box), '0,10 100,10')
    assert.equal(sparklinePoints([7, 7, 7], box), '0,10 50,10 100,10')
  })

  it('draws nothing without values', () => {
    assert.equal(sparklinePoints([], box), '')
  })

  it('never draws more than 120 points, and ends at the newest value', () => {
    const values = Array.from({ length: 600 }, (_, i) => i)
    const points = sparklinePoints(values, box).split(' ')
    assert.ok(points.length <= 120, `at most 120 points, saw ${points.length}`)
    assert.equal(points[points.length - 1], '100,0', 'the last point is the newest (highest) value')
  })
})

describe('downsample', () => {
  it('keeps short series as they are', () => {
    const values = [1, 2, 3]
    assert.equal(downsample(values, 5), values)
  })

  it('keeps the last value of each group, the newest included', () => {
    assert.deepEqual(downsample([1, 2, 3, 4, 5, 6, 7], 3), [1, 4, 7])
  })
})

describe('sparklineArea', () => {
  it('closes the line down to the bottom corners', () => {
    assert.equal(sparklineArea('0,20 50,0 100,10', box), '0,20 0,20 50,0 100,10 100,20')
    assert.equal(sparklineArea('', box), '')
  })
})

describe('sparklineTrend and hasMovement', () => {
  it('compare the end of the line with its start', () => {
    assert.equal(sparklineTrend([1, 5, 2]), 'up')
    assert.equal(sparklineTrend([3, 5, 2]), 'down')
    assert.equal(sparklineTrend([3, 1, 3]), 'flat')
    assert.equal(sparklineTrend([]), 'flat')
  })

  it('tell a moving line from a flat one', () => {
    assert.equal(hasMovement([3, 3, 3]), false)
    assert.equal(hasMovement([3]), false)
    assert.equal(hasMovement([3, 3.01]), true)
  })
})
