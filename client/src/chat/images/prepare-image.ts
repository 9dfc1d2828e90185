import { IMAGE_SCALE_MAX_SIDE, ImageMimes, type ImageMime } from '../../../../shared/images.ts'
import { IMAGE_MAX_BYTES } from '../../../../shared/limits.ts'

export type Prepared = { ok: true, blob: Blob } | { ok: false, reason: string }

const MIB = 1024 * 1024
const isAccepted = (type: string): type is ImageMime => (ImageMimes as readonly string[]).includes(type)

/** The type a scaled image is encoded in: its own, but a GIF (the canvas has no GIF encoder) as PNG. */
const scaledType = (type: ImageMime) => type === 'image/gif' ? 'image/png' : type

/**
 * A picked, pasted or dropped file made ready to upload: PNG, JPEG, GIF or WebP only (the server
 * checks the bytes again), scaled down on a canvas when a side is over IMAGE_SCALE_MAX_SIDE
 * pixels (an animated GIF keeps its first frame then), and at most IMAGE_MAX_BYTES after that.
 */
export async function prepareImage (file: Blob): Promise<Prepared> {
  if (!isAccepted(file.type)) return { ok: false, reason: 'Only PNG, JPEG, GIF and WebP images can be sent.' }
  let blob: Blob = file
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(file)
  } catch {
    return { ok: false, reason: 'This image could not be read.' }
  }
  try {
    const scale = IMAGE_SCALE_MAX_SIDE / Math.max(bitmap.width, bitmap.height)
    if (scale < 1) {
      const canvas = document.createElement('canvas')
      canvas.width = Math.max(1, Math.round(bitmap.width * scale))
      canvas.height = Math.max(1, Math.round(bitmap.height * scale))
      canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height)
      const scaled = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, scaledType(file.type as ImageMime), 0.9))
      if (!scaled) return { ok: false, reason: 'This image could not be scaled down.' }
      blob = scaled
    }
  } finally {
    bitmap.close()
  }
  if (blob.size > IMAGE_MAX_BYTES) return { ok: false, reason: `Images can be at most ${IMAGE_MAX_BYTES / MIB} MiB.` }
  return { ok: true, blob }
}
