import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { imageRoutes, type Image } from '../../shared/images.ts'
import { AVATAR_MAX_BYTES, IMAGE_MAX_BYTES } from '../../shared/limits.ts'
import type { ImageService } from '../images/create-image-service.ts'
import type { PeopleService } from '../people/create-people-service.ts'
import { routeSchema } from './route-schema.ts'

/** Served images change never (a new upload is a new id): browsers keep them, for this user only. */
const CACHE_CONTROL = 'private, max-age=31536000, immutable'
/** Opened on its own, an image runs nothing and loads nothing, whatever its bytes hold. */
const IMAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"

/** The one ETag of an image: its id, since its bytes never change. */
const etagOf = (imageId: string) => `"${imageId}"`
const matches = (ifNoneMatch: string | undefined, etag: string) =>
  ifNoneMatch !== undefined && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*')

/**
 * Sends an image found for this request (a room's image or an avatar): a 304 when the browser
 * has it, else its bytes with its sniffed type, nosniff and a sandboxing CSP.
 */
async function sendImage (request: FastifyRequest, reply: FastifyReply, found: Pick<Image, 'id' | 'mime'>, bytes: () => Promise<Uint8Array>) {
  const etag = etagOf(found.id)
  reply.header('etag', etag).header('cache-control', CACHE_CONTROL).header('vary', 'cookie, authorization')
  if (matches(request.headers['if-none-match'], etag)) return reply.status(304).send()
  const body = await bytes()
  return reply
    .header('content-type', found.mime)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', IMAGE_CSP)
    .header('content-disposition', 'inline')
    .header('cross-origin-resource-policy', 'same-origin')
    .send(Buffer.from(body.buffer, body.byteOffset, body.byteLength))
}

/** An upload's bytes as the content type parser left them (none for an empty body). */
const bodyBytes = (body: unknown) => Buffer.isBuffer(body) ? body : Buffer.alloc(0)

/**
 * Images over HTTP: uploads as raw bytes (this plugin's own body parser and limits, the rest of
 * the API keeps its 64 KiB JSON bodies), each image served to members of its room, and avatars
 * set, removed and served to anyone signed in.
 */
export const imageRoutesPlugin: FastifyPluginAsyncTypebox<{ images: ImageService, people: PeopleService }> = async (fastify, { images, people }) => {
  const { upload, image, setAvatar, removeAvatar, avatar } = imageRoutes
  const user = (request: { session: { user: { id: string, username: string } } | null }) => request.session!.user

  // What a browser sends for a picked, pasted or dropped file: its bytes, with any image type or none.
  fastify.addContentTypeParser(/^(?:application\/octet-stream|image\/[\w.+-]+)(?:$|\s*;)/i, { parseAs: 'buffer', bodyLimit: IMAGE_MAX_BYTES }, (_request, body, done) => {
    done(null, body)
  })

  fastify.post(upload.url, {
    schema: routeSchema(upload),
    bodyLimit: IMAGE_MAX_BYTES,
    // The session and the upload budget before the body is read.
    onRequest: [fastify.requireUser, async (request) => images.admitUpload(user(request))]
  }, async (request, reply) => {
    reply.status(201)
    return images.upload(user(request), request.params.roomId, bodyBytes(request.body))
  })

  fastify.get(image.url, { schema: routeSchema(image), onRequest: fastify.requireUser }, async (request, reply) => {
    const found = await images.find(user(request), request.params.imageId)
    return sendImage(request, reply, found, () => images.bytes(found))
  })

  fastify.put(setAvatar.url, {
    schema: routeSchema(setAvatar),
    bodyLimit: AVATAR_MAX_BYTES,
    onRequest: [fastify.requireUser, async (request) => images.admitAvatarChange(user(request))]
  }, async (request) => {
    await images.setAvatar(user(request), bodyBytes(request.body))
    return { profile: await people.avatarChanged(user(request)) }
  })

  fastify.delete(removeAvatar.url, {
    schema: routeSchema(removeAvatar),
    onRequest: [fastify.requireUser, async (request) => images.admitAvatarChange(user(request))]
  }, async (request) => {
    const removed = await images.removeAvatar(user(request))
    return { profile: await people.avatarChanged(user(request), removed) }
  })

  fastify.get(avatar.url, { schema: routeSchema(avatar), onRequest: fastify.requireUser }, async (request, reply) => {
    const found = await images.findAvatar(request.params.avatarId)
    return sendImage(request, reply, found, () => images.avatarBytes(found))
  })
}
