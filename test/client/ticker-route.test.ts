import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseRoute, paths } from '../../client/src/ui/router.ts'

describe('parseRoute for the market', () => {
  it('reads the board and a symbol deep link', () => {
    assert.deepEqual(parseRoute('/market'), { name: 'market', symbol: null })
    assert.deepEqual(parseRoute('/market/'), { name: 'market', symbol: null })
    assert.deepEqual(parseRoute('/market/QLFX'), { name: 'market', symbol: 'QLFX' })
    assert.deepEqual(parseRoute(paths.symbol('QSH.A')), { name: 'market', symbol: 'QSH.A' })
  })

  it('leaves anything deeper or undecodable as not found, and chat as it was', () => {
    assert.equal(parseRoute('/market/QLFX/extra').name, 'not-found')
    assert.equal(parseRoute('/market/%E0%A4%A').name, 'not-found')
    assert.deepEqual(parseRoute('/chat/general'), { name: 'chat', roomId: 'general' })
    assert.deepEqual(parseRoute('/'), { name: 'chat', roomId: null })
  })
})
