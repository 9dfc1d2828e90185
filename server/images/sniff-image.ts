import type { ImageMime } from '../../shared/images.ts'

export interface SniffedImage {
  mime: ImageMime
  width: number
  height: number
}

const ascii = (bytes: Uint8Array, at: number, text: string) =>
  bytes.length >= at + text.length && [...text].every((char, i) => bytes[at + i] === char.charCodeAt(0))

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

/** PNG: the signature, then the IHDR chunk (always first) with the width and height. */
function png (bytes: Uint8Array, view: DataView): SniffedImage | null {
  if (!PNG_SIGNATURE.every((byte, i) => bytes[i] === byte) || !ascii(bytes, 12, 'IHDR') || bytes.length < 24) return null
  return { mime: 'image/png', width: view.getUint32(16), height: view.getUint32(20) }
}

/** GIF87a or GIF89a: the logical screen's width and height follow. */
function gif (bytes: Uint8Array, view: DataView): SniffedImage | null {
  if (!(ascii(bytes, 0, 'GIF87a') || ascii(bytes, 0, 'GIF89a')) || bytes.length < 10) return null
  return { mime: 'image/gif', width: view.getUint16(6, true), height: view.getUint16(8, true) }
}

/** WebP: a RIFF container whose first chunk is a lossy (VP8), lossless (VP8L) or extended (VP8X) image. */
function webp (bytes: Uint8Array, view: DataView): SniffedImage | null {
  if (!ascii(bytes, 0, 'RIFF') || !ascii(bytes, 8, 'WEBP') || bytes.length < 30) return null
  const mime = 'image/webp'
  if (ascii(bytes, 12, 'VP8 ')) {
    // A key frame's start code, then 14-bit width and height.
    if (bytes[23] !== 0x9d || bytes[24] !== 0x01 || bytes[25] !== 0x2a) return null
    return { mime, width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff }
  }
  if (ascii(bytes, 12, 'VP8L')) {
    if (bytes[20] !== 0x2f) return null
    const bits = view.getUint32(21, true)
    return { mime, width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 }
  }
  if (ascii(bytes, 12, 'VP8X')) {
    const uint24 = (at: number) => bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16)
    return { mime, width: uint24(24) + 1, height: uint24(27) + 1 }
  }
  return null
}

/** JPEG: the start-of-image marker, then segments up to the first start-of-frame, which has the size. */
function jpeg (bytes: Uint8Array, view: DataView): SniffedImage | null {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8 || bytes[2] !== 0xff) return null
  let at = 2
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return null
    const marker = bytes[at + 1]!
    if (marker === 0xff) { at++; continue } // fill byte
    // SOF0-SOF15 but DHT (C4), JPG (C8) and DAC (CC): precision, height, width.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { mime: 'image/jpeg', width: view.getUint16(at + 7), height: view.getUint16(at + 5) }
    }
    // The scan starts (or the image ends) before any frame: not an image we can lay out.
    if (marker === 0xda || marker === 0xd9) return null
    at += marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7) ? 2 : 2 + view.getUint16(at + 2)
  }
  return null
}

/**
 * The type and size of an image, told by its bytes alone (the magic numbers and the header that
 * follows them), never by a file name or a declared Content-Type: PNG, JPEG, GIF or WebP. Anything
 * else (SVG, HTML, a PDF, a truncated header, a zero width) is null.
 */
export function sniffImage (bytes: Uint8Array): SniffedImage | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  for (const read of [png, jpeg, gif, webp]) {
    const found = read(bytes, view)
    if (found) return found.width > 0 && found.height > 0 ? found : null
  }
  return null
}
