import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Encoder, PacketType } from 'socket.io-parser'
import { quotesParser } from '../../../../server/realtime/ticker/quotes-encoder.ts'

const quote = (symbol: string, price: number) => ({
  symbol, name: `${symbol} Inc`, sector: 'Software', price, open: 10, high: 12, low: 9, change: price - 10, changePct: 1.5, volume: 100, ts: 1, seq: 2
})

describe('the quotes encoder', () => {
  const standard = new Encoder()
  const ours = new quotesParser.Encoder()

  it('writes a ticker:quotes frame byte for byte as the standard encoder does', () => {
    for (const nsp of ['/ticker', '/']) {
      const packet = { type: PacketType.EVENT, nsp, data: ['ticker:quotes', { quotes: [quote('AAA', 10.5), quote('B.B', 11)] }] }
      assert.deepEqual(ours.encode(packet), standard.encode(packet))
    }
    const empty = { type: PacketType.EVENT, nsp: '/ticker', data: ['ticker:quotes', { quotes: [] }] }
    assert.deepEqual(ours.encode(empty), standard.encode(empty))
  })

  it('leaves every other packet to the standard encoder', () => {
    const packets = [
      { type: PacketType.EVENT, nsp: '/chat', data: ['chat:message', { message: { text: 'hi "there"' } }] },
      { type: PacketType.EVENT, nsp: '/ticker', data: ['ticker:quotes', { quotes: [quote('AAA', 1)], extra: true }] },
      { type: PacketType.ACK, nsp: '/ticker', id: 3, data: [{ ok: true, data: { quotes: [quote('AAA', 1)] } }] },
      { type: PacketType.CONNECT, nsp: '/ticker', data: { sid: 'x' } }
    ]
    for (const packet of packets) assert.deepEqual(ours.encode(packet), standard.encode(packet))
  })
})
