import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Compile } from 'typebox/compile'
import { AlertCreateSchema } from '../../shared/ticker.ts'
import {
  alertCrossed, alertHint, checkAlertDraft, checkAlertPrice, crossedWarning, describeAlert, describeAlertError, distanceToAlert, firesAtOnceWarning, parsePriceInput,
  suggestAlertPrice, type AlertDraft
} from '../../client/src/ticker/alert-rules.ts'
import { createMarketFormats } from '../../client/src/ticker/format.ts'

const en = createMarketFormats('en-US')

describe('checkAlertPrice', () => {
  it('agrees with the shared schema the server validates with', () => {
    const schema = Compile(AlertCreateSchema)
    for (const text of ['42.5', '0.01', '0', '-3', '999999999.99', '1000000000', '1e3', 'abc', '12,5', '1,234.50', '.5']) {
      const checked = checkAlertPrice(text)
      const price = parsePriceInput(text)
      const serverAccepts = price !== null && schema.Check({ symbol: 'QLFX', direction: 'above', price })
      assert.equal(checked.ok, serverAccepts, `${JSON.stringify(text)}: form ${checked.ok ? 'accepts' : 'refuses'}, server ${serverAccepts ? 'accepts' : 'refuses'}`)
    }
  })

  it('names the problem in a sentence', () => {
    assert.deepEqual(checkAlertPrice(''), { ok: false, error: 'Enter a price.' })
    assert.deepEqual(checkAlertPrice('abc'), { ok: false, error: 'Enter a price as a number, like 42.50.' })
    assert.deepEqual(checkAlertPrice('0'), { ok: false, error: 'The price must be more than 0.' })
    assert.deepEqual(checkAlertPrice('1000000000'), { ok: false, error: 'The price must be less than 1,000,000,000.' })
    assert.deepEqual(checkAlertPrice(' 42.50 '), { ok: true, price: 42.5 })
  })
})

describe('parsePriceInput', () => {
  it('reads decimal points, a lone decimal comma and thousands separators', () => {
    assert.equal(parsePriceInput('12,5'), 12.5)
    assert.equal(parsePriceInput('1,234.50'), 1234.5)
    assert.equal(parsePriceInput('1 234.50'), 1234.5)
    assert.equal(parsePriceInput('.5'), 0.5)
    assert.equal(parsePriceInput('7.'), 7)
    assert.equal(parsePriceInput('1e3'), null)
    assert.equal(parsePriceInput('-3'), null)
    assert.equal(parsePriceInput('1.2.3'), null)
  })
})

describe('suggestAlertPrice', () => {
  it('starts about 1 % away in the alert direction, in cents', () => {
    assert.equal(suggestAlertPrice(142.3, 'above'), 143.72)
    assert.equal(suggestAlertPrice(142.3, 'below'), 140.88)
  })

  it('stays at least a cent away and above zero for cheap stocks', () => {
    assert.equal(suggestAlertPrice(0.5, 'above'), 0.51)
    assert.equal(suggestAlertPrice(0.01, 'below'), 0.01)
  })
})

describe('alertCrossed and distanceToAlert', () => {
  it('fire at or beyond the threshold, like the server', () => {
    assert.equal(alertCrossed({ direction: 'above', price: 10 }, 10), true)
    assert.equal(alertCrossed({ direction: 'above', price: 10 }, 9.99), false)
    assert.equal(alertCrossed({ direction: 'below', price: 10 }, 10), true)
    assert.equal(alertCrossed({ direction: 'below', price: 10 }, 10.01), false)
  })

  it('measure how far the price must move, in percent', () => {
    assert.equal(distanceToAlert({ direction: 'above', price: 110 }, 100), 10)
    assert.equal(distanceToAlert({ direction: 'below', price: 90 }, 100), 10)
    assert.ok(distanceToAlert({ direction: 'above', price: 90 }, 100) < 0, 'already crossed')
  })
})

describe('alertHint', () => {
  it('says the live price and when the typed alert fires', () => {
    assert.equal(alertHint(36.57, '37.00', 'above', en), 'Now 36.57. Fires when a trade is at or above 37.00 (1.2% away).')
    assert.equal(alertHint(36.57, '36.49', 'above', en), 'Now 36.57: already above 36.49, so it fires on the next trade.')
    assert.equal(alertHint(36.57, 'abc', 'below', en), 'Now 36.57.')
  })

  it('is empty only while no price is known', () => {
    assert.equal(alertHint(null, '37.00', 'above', en), '')
  })
})

describe('crossedWarning', () => {
  it('asks before an alert the price has already crossed, and not otherwise', () => {
    assert.equal(crossedWarning({ direction: 'above', price: 36.49 }, 36.57, en),
      'The price is 36.57, already above 36.49: this alert would fire on the next trade. Set it anyway?')
    assert.equal(crossedWarning({ direction: 'below', price: 36.6 }, 36.57, en),
      'The price is 36.57, already below 36.60: this alert would fire on the next trade. Set it anyway?')
    assert.equal(crossedWarning({ direction: 'above', price: 36.9 }, 36.57, en), null)
    assert.equal(crossedWarning({ direction: 'above', price: 36.9 }, null, en), null, 'no price known: nothing to warn about')
  })
})

describe('firesAtOnceWarning', () => {
  const quote = { price: 36.57, changePct: -2.4 }
  it('asks before a crossing already passed, or a day move the day has already made', () => {
    assert.equal(firesAtOnceWarning({ symbol: 'ACME', direction: 'above', price: 36.49 }, quote, en),
      'The price is 36.57, already above 36.49: this alert would fire on the next trade. Set it anyway?')
    assert.equal(firesAtOnceWarning({ symbol: 'ACME', kind: 'day-move', direction: 'below', pct: 2 }, quote, en),
      'ACME is -2.40% today, already down 2%: this alert would fire on the next trade. Set it anyway?')
    assert.equal(firesAtOnceWarning({ symbol: 'ACME', kind: 'day-move', direction: 'below', pct: 2.4 }, quote, en) !== null, true, 'at the threshold fires, as on the server')
  })

  it('lets through what has yet to happen, a move within minutes, and anything while no quote is known', () => {
    assert.equal(firesAtOnceWarning({ symbol: 'ACME', kind: 'day-move', direction: 'below', pct: 3 }, quote, en), null)
    assert.equal(firesAtOnceWarning({ symbol: 'ACME', kind: 'day-move', direction: 'above', pct: 1 }, quote, en), null, 'down 2.4% is not up 1%')
    assert.equal(firesAtOnceWarning({ symbol: 'ACME', kind: 'window-move', direction: 'below', pct: 1, minutes: 5 }, quote, en), null, 'a window counts from when it is set')
    assert.equal(firesAtOnceWarning({ symbol: 'ACME', direction: 'above', price: 36.9 }, quote, en), null)
    assert.equal(firesAtOnceWarning({ symbol: 'ACME', kind: 'day-move', direction: 'below', pct: 1 }, null, en), null)
  })
})

describe('describeAlertError', () => {
  it('shows the server sentence for a full quota and plain words for the rest', () => {
    const conflict = { code: 'conflict' as const, message: 'You already have 50 pending alerts, the most allowed. Delete one first.' }
    assert.equal(describeAlertError(conflict), conflict.message)
    assert.equal(describeAlertError({ code: 'unavailable', message: 'No answer' }), 'The market server did not answer. Check your connection and try again.')
    assert.equal(describeAlertError({ code: 'internal', message: 'boom' }), 'Something went wrong on our side. Try again in a moment.')
  })
})

describe('checkAlertDraft', () => {
  const draft = (change: Partial<AlertDraft>): AlertDraft => ({ kind: 'cross', direction: 'above', amount: '', minutes: '15', ...change })

  it('builds a crossing, a day move and a move within minutes as the server takes them', () => {
    const schema = Compile(AlertCreateSchema)
    for (const change of [{ amount: '12,5' }, { kind: 'day-move', amount: '0.01' }, { kind: 'window-move', amount: '100', minutes: '60' }] as const) {
      const checked = checkAlertDraft('QLFX', draft(change))
      assert.ok(checked.ok && schema.Check(checked.alert), JSON.stringify(change))
    }
    assert.deepEqual(checkAlertDraft('QLFX', draft({ amount: '12,5' })), { ok: true, alert: { symbol: 'QLFX', direction: 'above', price: 12.5 } })
    assert.deepEqual(checkAlertDraft('QLFX', draft({ kind: 'day-move', direction: 'below', amount: '2.5%' })),
      { ok: true, alert: { symbol: 'QLFX', kind: 'day-move', direction: 'below', pct: 2.5 } })
    assert.deepEqual(checkAlertDraft('QLFX', draft({ kind: 'window-move', amount: '1', minutes: '20' })),
      { ok: true, alert: { symbol: 'QLFX', kind: 'window-move', direction: 'above', pct: 1, minutes: 20 } })
  })

  it('refuses what the schema refuses, naming the field', () => {
    assert.deepEqual(checkAlertDraft('QLFX', draft({ amount: '-3' })), { ok: false, error: 'Enter a price as a number, like 42.50.', field: 'amount' })
    for (const amount of ['0', '100.5', 'lots', '']) {
      assert.deepEqual(checkAlertDraft('QLFX', draft({ kind: 'day-move', amount })), { ok: false, error: 'Enter a percentage from 0.01 to 100.', field: 'amount' }, amount)
    }
    for (const minutes of ['0', '61', '2.5', '']) {
      assert.deepEqual(checkAlertDraft('QLFX', draft({ kind: 'window-move', amount: '1', minutes })), { ok: false, error: 'Enter whole minutes from 1 to 60.', field: 'minutes' }, minutes)
    }
  })

  it('describes each kind', () => {
    assert.equal(describeAlert({ direction: 'below', price: 0, kind: 'window-move', pct: 3, minutes: 20 }), 'Moves down 3% within 20 min')
    assert.equal(describeAlert({ direction: 'above', price: 0, kind: 'day-move', pct: 2.5 }), 'Moves up 2.5% within the day')
  })
})
