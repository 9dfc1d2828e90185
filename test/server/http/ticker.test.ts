import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { MAX_SYMBOLS_PER_CALL } from '../../../shared/ticker.ts'
import { startApp, type TestApp } from '../../helpers/app.ts'
import { api, assertHttpError } from '../../helpers/http.ts'

describe('GET /api/ticker/quotes limits', () => {
  let t: TestApp
  before(async () => { t = await startApp() })
  after(() => t.close())

  const ask = (symbols: string[]) => api(t.url, 'GET', `/api/ticker/quotes?symbols=${symbols.join(',')}`)

  it(`refuses more than ${MAX_SYMBOLS_PER_CALL} symbols with 400 naming the field`, async () => {
    const listed = t.app.ticker.symbols()
    const tooMany = Array.from({ length: MAX_SYMBOLS_PER_CALL + 1 }, (_, i) => listed[i % listed.length]!)
    const error = assertHttpError(await ask(tooMany), 400, 'invalid_payload')
    assert.match(error.message, /^symbols:/, error.message)
  })

  it(`answers ${MAX_SYMBOLS_PER_CALL} symbols, each once however often it was asked`, async () => {
    const [first, second] = t.app.ticker.symbols()
    const asked = Array.from({ length: MAX_SYMBOLS_PER_CALL }, (_, i) => (i % 3 === 0 ? second! : first!))
    const res = await ask(asked)
    assert.equal(res.status, 200, `${res.status} ${JSON.stringify(res.body)}`)
    assert.deepEqual(res.body.quotes.map((quote: { symbol: string }) => quote.symbol), [second, first])
  })
})
