import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createAlertIndex, type IndexedAlert } from '../../../server/ticker/alert-index.ts'

let ids = 0
const alert = (direction: 'above' | 'below', price: number, symbol = 'QLFX'): IndexedAlert => ({ id: `a${++ids}`, symbol, direction, price })
const prices = (alerts: IndexedAlert[]) => alerts.map((a) => `${a.direction} ${a.price}`)

describe('createAlertIndex', () => {
  it('fires an above alert once the price reaches its threshold, and not before', () => {
    const index = createAlertIndex()
    index.add(alert('above', 100))
    assert.deepEqual(index.crossed('QLFX', 99.99), [])
    assert.deepEqual(prices(index.crossed('QLFX', 100)), ['above 100'])
    assert.deepEqual(index.crossed('QLFX', 150), [], 'a fired alert is gone')
    assert.equal(index.size, 0)
  })

  it('fires a below alert once the price falls to its threshold, and not before', () => {
    const index = createAlertIndex()
    index.add(alert('below', 50))
    assert.deepEqual(index.crossed('QLFX', 50.01), [])
    assert.deepEqual(prices(index.crossed('QLFX', 49)), ['below 50'])
    assert.equal(index.size, 0)
  })

  it('fires exactly the crossed alerts of both directions and keeps the rest, whatever the insertion order', () => {
    const index = createAlertIndex()
    for (const a of [alert('above', 120), alert('above', 105), alert('above', 110), alert('above', 101),
      alert('below', 90), alert('below', 99), alert('below', 95), alert('below', 80)]) index.add(a)
    assert.deepEqual(prices(index.crossed('QLFX', 100)), [], 'nothing is crossed at 100')
    assert.deepEqual(prices(index.crossed('QLFX', 110)), ['above 101', 'above 105', 'above 110'])
    assert.deepEqual(prices(index.crossed('QLFX', 92)), ['below 99', 'below 95'])
    assert.equal(index.size, 3)
    assert.deepEqual(prices(index.crossed('QLFX', 1)), ['below 90', 'below 80'])
    assert.deepEqual(prices(index.crossed('QLFX', 1e6)), ['above 120'])
    assert.equal(index.size, 0)
  })

  it('fires every alert sharing a threshold', () => {
    const index = createAlertIndex()
    const same = [alert('above', 100), alert('above', 100), alert('above', 100)]
    for (const a of same) index.add(a)
    assert.deepEqual(index.crossed('QLFX', 100).map((a) => a.id).sort(), same.map((a) => a.id).sort())
  })

  it('keeps symbols apart', () => {
    const index = createAlertIndex()
    index.add(alert('above', 10, 'AAA'))
    index.add(alert('above', 10, 'BBB'))
    assert.deepEqual(index.crossed('AAA', 20).map((a) => a.symbol), ['AAA'])
    assert.deepEqual(index.crossed('CCC', 20), [], 'a symbol without alerts')
    assert.equal(index.size, 1)
  })

  it('removes an alert by id, among equal thresholds too, so it never fires', () => {
    const index = createAlertIndex()
    const [a, b, c] = [alert('below', 50), alert('below', 50), alert('below', 40)]
    for (const x of [a!, b!, c!]) index.add(x)
    assert.equal(index.remove(b!.id), b)
    assert.equal(index.remove(b!.id), undefined, 'removing twice finds nothing')
    assert.equal(index.remove('unknown'), undefined)
    assert.deepEqual(index.crossed('QLFX', 10).map((x) => x.id), [a!.id, c!.id])
  })

  it('indexes an id once', () => {
    const index = createAlertIndex()
    const a = alert('above', 100)
    assert.equal(index.add(a), true)
    assert.equal(index.add({ ...a }), false)
    assert.equal(index.size, 1)
    assert.equal(index.crossed('QLFX', 200).length, 1)
  })

  it('looks only at crossed alerts: a tick over a large index costs no scan', () => {
    // Inspects the comparisons through a price getter: a crossing of 3 among 10,000 must read few.
    const index = createAlertIndex()
    let reads = 0
    const counted = (direction: 'above' | 'below', price: number): IndexedAlert => {
      const a = alert(direction, price)
      return { id: a.id, symbol: a.symbol, direction, get price () { reads++; return price } }
    }
    for (let i = 0; i < 5000; i++) index.add(counted('above', 1000 + i))
    for (let i = 0; i < 5000; i++) index.add(counted('below', 1 + i / 10))
    reads = 0
    assert.equal(index.crossed('QLFX', 1002).length, 3)
    assert.ok(reads < 20, `expected a handful of price reads, got ${reads}`)
    reads = 0
    assert.equal(index.crossed('QLFX', 700).length, 0)
    assert.ok(reads < 20, `expected a handful of price reads, got ${reads}`)
  })
})
