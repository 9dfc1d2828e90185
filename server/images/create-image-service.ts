import type { User } from '../../shared/auth.ts'
import type { Uploaded } from '../../shared/images.ts'
import { IMAGE_MAX_PIXELS, IMAGE_PENDING_TTL_MS, IMAGES_PENDING_PER_USER } from '../../shared/limits.ts'
import { AppError } from '../errors.ts'
import { takeOrRefuse } from '../rate-limit/take-or-refuse.ts'
import type { RateLimiter } from '../rate-limit/rate-limiter.ts'
import type { ImageRecord, Storage } from '../storage/types.ts'
import { sniffImage } from './sniff-image.ts'

export interface ImageServiceDeps {
  storage: Storage
  /** Uploads per user. */
  uploadLimiter: RateLimiter
  now?: () => number
}

const notFound = () => new AppError('not_found', 'No such image.')

/** Images in rooms: uploads checked by their bytes, and served to the members of their room only. */
export function createImageService ({ storage, uploadLimiter, now = Date.now }: ImageServiceDeps) {
  return {
    /** Takes an upload's token before its body is read: a refused upload costs no bandwidth. */
    async admitUpload (user: User) {
      await takeOrRefuse(uploadLimiter, user.id, 'You are uploading images too fast.')
    },

    /** Stores an image for the user to send in a room they belong to; nothing is stored on any refusal. */
    async upload (user: User, roomId: string, bytes: Uint8Array): Promise<Uploaded> {
      const room = await storage.chat.getRoomAccess(roomId, user.id)
      if (!room) throw new AppError('not_found', 'No such room.')
      if (!room.member) throw new AppError('forbidden', 'Only members of the room can upload images to it.')
      const sniffed = sniffImage(bytes)
      if (!sniffed) throw new AppError('invalid_payload', 'The file is not a PNG, JPEG, GIF or WebP image (SVG and other types are not accepted).')
      if (sniffed.width * sniffed.height > IMAGE_MAX_PIXELS) {
        throw new AppError('invalid_payload', `The image is ${sniffed.width} x ${sniffed.height} pixels, more than the ${IMAGE_MAX_PIXELS / 1024 / 1024} megapixels allowed.`)
      }
      const at = now()
      const image = await storage.images.create({
        roomId: room.id, uploaderId: user.id, ...sniffed, bytes, now: at, maxPending: IMAGES_PENDING_PER_USER, pendingAfter: at - IMAGE_PENDING_TTL_MS
      })
      return { imageId: image.id, mime: image.mime, width: image.width, height: image.height, size: image.size }
    },

    /**
     * The image if the user may see it: a member of its room once it is in a message, its
     * uploader before. Anyone else is told there is no such image (not `forbidden`: an image id
     * says nothing to someone who may not see it).
     */
    async find (user: User, imageId: string): Promise<ImageRecord> {
      const image = await storage.images.find(imageId, user.id)
      if (!image || !image.member || (image.messageId === null && image.uploaderId !== user.id)) throw notFound()
      return image
    },

    async bytes (image: ImageRecord): Promise<Uint8Array> {
      const bytes = await storage.images.bytes(image.id)
      // Its message was deleted since it was found.
      if (!bytes) throw notFound()
      return bytes
    },

    /** Deletes the uploads never sent that have expired; returns how many. */
    async purgeUnsent () {
      return storage.images.deleteUnsent(now() - IMAGE_PENDING_TTL_MS)
    }
  }
}

export type ImageService = ReturnType<typeof createImageService>
