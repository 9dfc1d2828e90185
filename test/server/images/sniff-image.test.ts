import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { sniffImage } from '../../../server/images/sniff-image.ts'
import { pngBytes, samples } from '../../helpers/images.ts'

describe('sniffImage', () => {
  it('tells PNG, GIF, JPEG and WebP by their bytes, with their width and height', () => {
    assert.deepEqual(sniffImage(pngBytes(3, 2)), { mime: 'image/png', width: 3, height: 2 })
    assert.deepEqual(sniffImage(samples.gif), { mime: 'image/gif', width: 1, height: 1 })
    assert.deepEqual(sniffImage(samples.jpegHeader), { mime: 'image/jpeg', width: 640, height: 480 })
    assert.deepEqual(sniffImage(samples.webpLossless), { mime: 'image/webp', width: 1, height: 1 })
  })

  it('reads the sizes of lossy and extended WebP', () => {
    const riff = (chunk: string, body: number[]) => Buffer.from([...Buffer.from('RIFF'), 0, 0, 0, 0, ...Buffer.from('WEBP'), ...Buffer.from(chunk), 0, 0, 0, 0, ...body, ...Array(10).fill(0)])
    // VP8: a key frame's tag, the start code, then 14-bit width and height (little-endian).
    assert.deepEqual(sniffImage(riff('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, 0x20, 0x03, 0x58, 0x02])), { mime: 'image/webp', width: 800, height: 600 })
    // VP8X: flags, then the canvas's width - 1 and height - 1 in 24 bits.
    assert.deepEqual(sniffImage(riff('VP8X', [0, 0, 0, 0, 0xff, 0x07, 0x00, 0x37, 0x04, 0x00])), { mime: 'image/webp', width: 2048, height: 1080 })
  })

  it('refuses SVG, HTML, text, empty and truncated files, and a zero size', () => {
    for (const [what, bytes] of Object.entries({
      svg: samples.svg,
      html: samples.html,
      text: samples.text,
      empty: Buffer.alloc(0),
      'a PNG signature alone': pngBytes(1, 1).subarray(0, 8),
      'a GIF signature alone': samples.gif.subarray(0, 6),
      'a JPEG without a frame header': samples.jpegHeader.subarray(0, 24),
      'a PNG of width 0': pngBytes(0, 1)
    })) {
      assert.equal(sniffImage(bytes), null, `${what} refused`)
    }
  })
})
