import { Type, type Static } from 'typebox'
import { AVATAR_MAX_BYTES, AVATAR_MAX_SIDE, IMAGE_MAX_BYTES, IMAGE_PENDING_TTL_MS, IMAGES_PENDING_PER_USER } from './limits.ts'
import { ProfileSchema } from './people.ts'
import { route } from './protocol.ts'
import { IdSchema } from './schemas.ts'

/** The image types accepted, told apart by their first bytes (never by a name or a declared type). */
export const ImageMimes = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const
export type ImageMime = typeof ImageMimes[number]

/** Browsers scale an image larger than this (either side, in pixels) down before uploading it. */
export const IMAGE_SCALE_MAX_SIDE = 2048

/** The URL an image is served at (to members of its room). */
export const imageUrl = (imageId: string) => `/api/images/${encodeURIComponent(imageId)}`

/** Browsers crop an avatar to a square and scale it to this side (pixels) before uploading it. */
export const AVATAR_SIDE = 256

/** The URL an avatar is served at (to anyone signed in); each upload has a new id, so a new URL. */
export const avatarUrl = (avatarId: string) => `/api/avatars/${encodeURIComponent(avatarId)}`

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
  }),
  setAvatar: route({
    method: 'PUT',
    url: '/api/profile/avatar',
    summary: 'Set your avatar, replacing the generated one or the one uploaded before (which is deleted: its URL answers 404 from then on). ' +
      `PNG, JPEG, GIF or WebP, told by its bytes, at most ${AVATAR_MAX_SIDE} pixels a side (browsers send a ${AVATAR_SIDE}-pixel square); ` +
      `anything else is refused \`invalid_payload\` and nothing changes. At most ${AVATAR_MAX_BYTES / MIB} MiB (413). ` +
      'The profile gets a new `avatarId`, pushed as `people:profile`.',
    auth: 'user',
    rawBody: 'the image\'s bytes, with `Content-Type: application/octet-stream` or `image/*`',
    response: { 200: Type.Object({ profile: ProfileSchema }) }
  }),
  removeAvatar: route({
    method: 'DELETE',
    url: '/api/profile/avatar',
    summary: 'Go back to the generated avatar: the uploaded one is deleted (its URL answers 404), the profile loses `avatarId`, pushed as `people:profile`.',
    auth: 'user',
    response: { 200: Type.Object({ profile: ProfileSchema }) }
  }),
  avatar: route({
    method: 'GET',
    url: '/api/avatars/:avatarId',
    summary: 'A user\'s avatar, to anyone signed in (like profiles); 404 once replaced or removed. ' +
      'Served like images: its type, `X-Content-Type-Options: nosniff`, a sandboxing CSP, an ETag (`If-None-Match` answers 304) and `Cache-Control: private`.',
    auth: 'user',
    params: Type.Object({ avatarId: IdSchema }),
    response: { 200: 'the image\'s bytes', 304: null }
  })
}
