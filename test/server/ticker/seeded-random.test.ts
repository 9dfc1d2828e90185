import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createSeededRandom } from '../../../server/ticker/seeded-random.ts'

const draw = (seed: string | number, count: number) => {
  const random = createSeededRandom(seed)
  return Array.from({ length: count }, () => random.next())
}

describe('createSeededRandom', () => {
  it('replays the same series for the same seed', () => {
    assert.deepEqual(draw('hubbub', 100), draw('hubbub', 100))
  })

  it('gives different series for different seeds, even similar ones', () => {
    assert.notDeepEqual(draw('hubbub:AAA', 10), draw('hubbub:AAB', 10))
  })

  it('continues a stream from its state, the normal kept for the next call included', () => {
    const original = createSeededRandom('hubbub')
    original.next()
    original.normal()
    const copy = createSeededRandom('ignored', JSON.parse(JSON.stringify(original.state())) as ReturnType<typeof original.state>)
    const draws = (random: typeof original) => [random.normal(), random.next(), random.normal(), random.normal()]
    assert.deepEqual(draws(copy), draws(original))
  })

  it('treats a number seed like its decimal string', () => {
    assert.deepEqual(draw(42, 10), draw('42', 10))
  })

  it('draws uniformly in [0, 1)', () => {
    const values = draw('uniform', 100_000)
    const outside = values.filter((value) => value < 0 || value >= 1)
    assert.deepEqual(outside, [])
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length
    assert.ok(Math.abs(mean - 0.5) < 0.01, `mean ${mean}, expected about 0.5`)
  })

  it('draws standard normals with mean 0 and variance 1', () => {
    const random = createSeededRandom('normal')
    const values = Array.from({ length: 100_000 }, () => random.normal())
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length
    const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length
    assert.ok(values.every(Number.isFinite), 'every normal is finite')
    assert.ok(Math.abs(mean) < 0.02, `mean ${mean}, expected about 0`)
    assert.ok(Math.abs(variance - 1) < 0.02, `variance ${variance}, expected about 1`)
  })
})
