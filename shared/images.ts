import { Type, type Static } from 'typebox'
import { IMAGE_MAX_BYTES, IMAGE_PENDING_TTL_MS, IMAGES_PENDING_PER_USER } from './limits.ts'
import { route } from './protocol.ts'
import { IdSchema } from './schemas.ts'

/** The image types accepted, told apart by their first bytes (never by a name or a declared type). */
export const ImageMimes = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const
export type ImageMime = typeof ImageMimes[number]

/** Browsers scale an image larger than this (either side, in pixels) down before uploading it. */
export const IMAGE_SCALE_MAX_SIDE = 2048

/** The URL an image is served at (to members of its room). */
export const imageUrl = (imageId: string) => `/api/images/${encodeURIComponent(imageId)}`

/** An image in a message: enough to lay it out before its bytes arrive. */
export const ImageSchema = Type.Object({
  id: IdSchema,
  mime: Type.Enum([...ImageMimes]),
  width: Type.Integer({ minimum: 1, description: 'pixels' }),
  height: Type.Integer({ minimum: 1, description: 'pixels' }),
  size: Type.Integer({ minimum: 1, description: 'bytes' })
})
export type Image = Static<typeof ImageSchema>

const UploadedSchema = Type.Object({
  imageId: IdSchema,
  mime: Type.Enum([...ImageMimes]),
  width: Type.Integer({ minimum: 1 }),
  height: Type.Integer({ minimum: 1 }),
  size: Type.Integer({ minimum: 1 })
})
export type Uploaded = Static<typeof UploadedSchema>

const MIB = 1024 * 1024

export const imageRoutes = {
  upload: route({
    method: 'POST',
    url: '/api/rooms/:roomId/images',
    summary: `Upload an image to a room you belong to, then post it with \`chat:send {imageId}\` within ${IMAGE_PENDING_TTL_MS / 60_000} minutes ` +
      '(it expires unsent). PNG, JPEG, GIF or WebP, told by its bytes; anything else (SVG included) is refused `invalid_payload` and nothing is stored. ' +
      `At most ${IMAGE_MAX_BYTES / MIB} MiB (413) and ${IMAGES_PENDING_PER_USER} unsent images per user (\`conflict\`).`,
    auth: 'user',
    params: Type.Object({ roomId: IdSchema }),
    rawBody: 'the image\'s bytes, with `Content-Type: application/octet-stream` or `image/*`',
    response: { 201: UploadedSchema }
  }),
  image: route({
    method: 'GET',
    url: '/api/images/:imageId',
    summary: 'An image, to members of its room only (before it is sent, to its uploader only); 404 to anyone else. ' +
      'Served with its type, `X-Content-Type-Options: nosniff`, a sandboxing CSP, an ETag (`If-None-Match` answers 304) and `Cache-Control: private`.',
    auth: 'user',
    params: Type.Object({ imageId: IdSchema }),
    response: { 200: 'the image\'s bytes', 304: null }
  })
}
