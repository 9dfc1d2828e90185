import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createSymbolInterest } from '../../client/src/ticker/symbol-interest.ts'

describe('createSymbolInterest', () => {
  it('gathers the chips that came into view into one subscribe of their symbols', () => {
    const interest = createSymbolInterest()
    interest.show('ACME')
    interest.show('ACME')
    interest.show('QLFX')
    assert.deepEqual(interest.flush(), { subscribe: ['ACME', 'QLFX'], unsubscribe: [] })
    assert.deepEqual(interest.flush(), { subscribe: [], unsubscribe: [] })
  })

  it('keeps a symbol while any chip of it is on screen, and drops it after the last', () => {
    const interest = createSymbolInterest()
    interest.show('ACME')
    interest.show('ACME')
    interest.flush()
    interest.hide('ACME')
    assert.deepEqual(interest.flush(), { subscribe: [], unsubscribe: [] })
    interest.hide('ACME')
    assert.deepEqual(interest.flush(), { subscribe: [], unsubscribe: ['ACME'] })
    assert.deepEqual(interest.wanted(), [])
  })

  it('sends nothing for a chip that came and went between two flushes', () => {
    const interest = createSymbolInterest()
    interest.show('ACME')
    interest.hide('ACME')
    assert.deepEqual(interest.flush(), { subscribe: [], unsubscribe: [] })
  })

  it('ignores a hide without a show', () => {
    const interest = createSymbolInterest()
    interest.hide('ACME')
    interest.show('ACME')
    assert.deepEqual(interest.flush(), { subscribe: ['ACME'], unsubscribe: [] })
  })

  it('subscribes everything wanted again after the server forgot', () => {
    const interest = createSymbolInterest()
    interest.show('ACME')
    interest.show('QLFX')
    interest.flush()
    interest.forget()
    assert.deepEqual(interest.flush(), { subscribe: ['ACME', 'QLFX'], unsubscribe: [] })
  })
})
