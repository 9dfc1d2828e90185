import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ALL_KEY, createSubscriptionSets, setKey } from '../../../../server/realtime/ticker/subscription-sets.ts'
import type { Quote } from '../../../../shared/ticker.ts'

const listed = ['AAA', 'BBB', 'CCC', 'DDD']
const quote = (symbol: string, seq = 1): Quote =>
  ({ symbol, name: symbol, sector: 'Software', price: 1, open: 1, high: 1, low: 1, change: 0, changePct: 0, volume: 0, ts: 0, seq })
const sets = () => createSubscriptionSets({ listed: listed.length, roomOf: (key) => `set:${key}` })
const routed = (routes: { room: string, quotes: Quote[] }[]) =>
  Object.fromEntries(routes.map((r) => [r.room, r.quotes.map((q) => q.symbol).join(',')]))

describe('setKey', () => {
  it('is the same for the same symbols in any order, different for different sets, and `all` for every listed symbol', () => {
    assert.equal(setKey(new Set(['BBB', 'AAA']), 4), setKey(new Set(['AAA', 'BBB']), 4))
    assert.notEqual(setKey(new Set(['AAA', 'BBB']), 4), setKey(new Set(['AAA', 'CCC']), 4))
    assert.equal(setKey(new Set(listed), 4), ALL_KEY)
    assert.match(setKey(new Set(['AAA']), 4), /^[\w-]{22}$/)
  })
})

describe('createSubscriptionSets', () => {
  it('puts sockets following the same symbols in one room and tells what to join and leave', () => {
    const s = sets()
    const one = s.assign('s1', ['AAA', 'BBB'])
    const two = s.assign('s2', ['BBB', 'AAA', 'AAA'])
    assert.equal(one.leave, null)
    assert.equal(two.join, one.join, 'one room for one set')
    assert.equal(s.size, 1)
    assert.deepEqual(s.assign('s1', ['BBB', 'AAA']), { leave: null, join: null }, 'the same set again changes nothing')
    const moved = s.assign('s1', ['AAA'])
    assert.equal(moved.leave, one.join)
    assert.notEqual(moved.join, one.join)
    assert.equal(s.size, 2)
    assert.deepEqual([...s.symbolsOf('s1')], ['AAA'])
  })

  it('routes each changed quote to every set that holds it, one route per set, in tick order', () => {
    const s = sets()
    const ab = s.assign('s1', ['AAA', 'BBB']).join!
    const bc = s.assign('s2', ['CCC', 'BBB']).join!
    s.assign('s3', ['DDD'])
    assert.deepEqual(routed(s.route([quote('CCC'), quote('BBB'), quote('AAA')])), { [ab]: 'BBB,AAA', [bc]: 'CCC,BBB' })
    assert.deepEqual(s.route([]), [])
  })

  it('routes every changed quote to the all set, which is any set of every listed symbol', () => {
    const s = sets()
    const all = s.assign('s1', listed).join!
    assert.equal(all, `set:${ALL_KEY}`)
    assert.equal(s.assign('s2', [...listed].reverse()).join, all)
    assert.deepEqual(routed(s.route([quote('DDD'), quote('AAA')])), { [all]: 'DDD,AAA' })
  })

  it('forgets a set when its last socket leaves it, and routes nothing to it', () => {
    const s = sets()
    const room = s.assign('s1', ['AAA']).join
    s.assign('s2', ['AAA'])
    assert.equal(s.remove('s1'), room)
    assert.equal(s.size, 1)
    assert.deepEqual(s.assign('s2', []), { leave: room, join: null })
    assert.equal(s.size, 0)
    assert.equal(s.sockets, 0)
    assert.deepEqual(s.route([quote('AAA')]), [])
    assert.equal(s.remove('s2'), null, 'a socket without a set leaves nothing')
    assert.deepEqual([...s.symbolsOf('s2')], [])
  })
})
