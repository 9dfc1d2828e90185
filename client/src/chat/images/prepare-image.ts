import { AVATAR_SIDE, IMAGE_SCALE_MAX_SIDE, ImageMimes, type ImageMime } from '../../../../shared/images.ts'
import { AVATAR_MAX_BYTES, IMAGE_MAX_BYTES } from '../../../../shared/limits.ts'

export type Prepared = { ok: true, blob: Blob } | { ok: false, reason: string }

const MIB = 1024 * 1024
const isAccepted = (type: string): type is ImageMime => (ImageMimes as readonly string[]).includes(type)

/** The type a scaled image is encoded in: its own, but a GIF (the canvas has no GIF encoder) as PNG. */
const scaledType = (type: ImageMime) => type === 'image/gif' ? 'image/png' : type

/** The part of the picture drawn (`sx`, `sy`, `sw`, `sh` in its pixels) and the canvas's size. */
interface Drawing { sx: number, sy: number, sw: number, sh: number, width: number, height: number }

/**
 * A file as the server takes it: PNG, JPEG, GIF or WebP only (the server checks the bytes
 * again), redrawn on a canvas when `plan` says so (an animated GIF keeps its first frame then),
 * and at most `maxBytes` after that.
 */
async function prepare (file: Blob, plan: (width: number, height: number) => Drawing | null, maxBytes: number): Promise<Prepared> {
  if (!isAccepted(file.type)) return { ok: false, reason: 'Only PNG, JPEG, GIF and WebP images can be sent.' }
  let blob: Blob = file
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(file)
  } catch {
    return { ok: false, reason: 'This image could not be read.' }
  }
  try {
    const drawing = plan(bitmap.width, bitmap.height)
    if (drawing) {
      const canvas = document.createElement('canvas')
      canvas.width = drawing.width
      canvas.height = drawing.height
      const context = canvas.getContext('2d')!
      context.imageSmoothingQuality = 'high'
      context.drawImage(bitmap, drawing.sx, drawing.sy, drawing.sw, drawing.sh, 0, 0, canvas.width, canvas.height)
      const scaled = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, scaledType(file.type as ImageMime), 0.9))
      if (!scaled) return { ok: false, reason: 'This image could not be scaled down.' }
      blob = scaled
    }
  } finally {
    bitmap.close()
  }
  if (blob.size > maxBytes) return { ok: false, reason: `Images can be at most ${maxBytes / MIB} MiB.` }
  return { ok: true, blob }
}

/**
 * A picked, pasted or dropped file made ready to send in a message: scaled down when a side is
 * over IMAGE_SCALE_MAX_SIDE pixels, at most IMAGE_MAX_BYTES.
 */
export function prepareImage (file: Blob): Promise<Prepared> {
  return prepare(file, (width, height) => {
    const scale = IMAGE_SCALE_MAX_SIDE / Math.max(width, height)
    if (scale >= 1) return null
    return { sx: 0, sy: 0, sw: width, sh: height, width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) }
  }, IMAGE_MAX_BYTES)
}

/**
 * A picked file made ready to be an avatar: the largest centred square, scaled to AVATAR_SIDE
 * pixels (a smaller picture keeps its size), always redrawn so that nothing else of the file
 * (its other frames, its metadata) goes with it.
 */
export function prepareAvatar (file: Blob): Promise<Prepared> {
  return prepare(file, (width, height) => {
    const side = Math.min(width, height)
    const target = Math.min(side, AVATAR_SIDE)
    return { sx: Math.floor((width - side) / 2), sy: Math.floor((height - side) / 2), sw: side, sh: side, width: target, height: target }
  }, AVATAR_MAX_BYTES)
}
