import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { imageRoutes } from '../../shared/images.ts'
import { IMAGE_MAX_BYTES } from '../../shared/limits.ts'
import type { ImageService } from '../images/create-image-service.ts'
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
 * Images over HTTP: uploads as raw bytes (this plugin's own body parser and limit, the rest of
 * the API keeps its 64 KiB JSON bodies), and each image served to members of its room.
 */
export const imageRoutesPlugin: FastifyPluginAsyncTypebox<{ images: ImageService }> = async (fastify, { images }) => {
  const { upload, image } = imageRoutes
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
    const body = request.body as unknown
    const bytes = Buffer.isBuffer(body) ? body : Buffer.alloc(0)
    reply.status(201)
    return images.upload(user(request), request.params.roomId, bytes)
  })

  fastify.get(image.url, { schema: routeSchema(image), onRequest: fastify.requireUser }, async (request, reply) => {
    const found = await images.find(user(request), request.params.imageId)
    const etag = etagOf(found.id)
    reply.header('etag', etag).header('cache-control', CACHE_CONTROL).header('vary', 'cookie, authorization')
    if (matches(request.headers['if-none-match'], etag)) return reply.status(304).send()
    const bytes = await images.bytes(found)
    return reply
      .header('content-type', found.mime)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', IMAGE_CSP)
      .header('content-disposition', 'inline')
      .header('cross-origin-resource-policy', 'same-origin')
      .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
  })
}
