import type { User } from '../../shared/auth.ts'
import type { Uploaded } from '../../shared/images.ts'
import { AVATAR_MAX_SIDE, IMAGE_MAX_PIXELS, IMAGE_PENDING_TTL_MS, IMAGES_PENDING_PER_USER } from '../../shared/limits.ts'
import { AppError } from '../errors.ts'
import { takeOrRefuse } from '../rate-limit/take-or-refuse.ts'
import type { RateLimiter } from '../rate-limit/rate-limiter.ts'
import type { AvatarRecord, ImageRecord, Storage } from '../storage/types.ts'
import { sniffImage, type SniffedImage } from './sniff-image.ts'

export interface ImageServiceDeps {
  storage: Storage
  /** Uploads per user. */
  uploadLimiter: RateLimiter
  /** Avatars set or removed per user. */
  avatarLimiter: RateLimiter
  now?: () => number
}

const notFound = () => new AppError('not_found', 'No such image.')

/**
 * The image type and size told by the bytes, or `invalid_payload`: anything but PNG, JPEG, GIF
 * and WebP (SVG included), or more pixels than every viewer should have to decode.
 */
export function checkImage (bytes: Uint8Array, { maxSide }: { maxSide?: number } = {}): SniffedImage {
  const sniffed = sniffImage(bytes)
  if (!sniffed) throw new AppError('invalid_payload', 'The file is not a PNG, JPEG, GIF or WebP image (SVG and other types are not accepted).')
  if (sniffed.width * sniffed.height > IMAGE_MAX_PIXELS) {
    throw new AppError('invalid_payload', `The image is ${sniffed.width} x ${sniffed.height} pixels, more than the ${IMAGE_MAX_PIXELS / 1024 / 1024} megapixels allowed.`)
  }
  if (maxSide !== undefined && Math.max(sniffed.width, sniffed.height) > maxSide) {
    throw new AppError('invalid_payload', `The image is ${sniffed.width} x ${sniffed.height} pixels; at most ${maxSide} pixels a side are allowed.`)
  }
  return sniffed
}

/**
 * Images in rooms: uploads checked by their bytes, and served to the members of their room only.
 * Avatars: the same checks, one per user, served to anyone signed in.
 */
export function createImageService ({ storage, uploadLimiter, avatarLimiter, now = Date.now }: ImageServiceDeps) {
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
      const sniffed = checkImage(bytes)
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

    /** Takes an avatar change's token (before an upload's body is read). */
    async admitAvatarChange (user: User) {
      await takeOrRefuse(avatarLimiter, user.id, 'You are changing your avatar too often.')
    },

    /** Makes the image the user's avatar, deleting the one before; nothing changes on any refusal. */
    async setAvatar (user: User, bytes: Uint8Array): Promise<AvatarRecord> {
      const sniffed = checkImage(bytes, { maxSide: AVATAR_MAX_SIDE })
      return storage.images.setAvatar({ userId: user.id, ...sniffed, bytes, now: now() })
    },

    /** Back to the generated avatar; whether there was an uploaded one. */
    async removeAvatar (user: User) {
      return storage.images.removeAvatar(user.id)
    },

    /** An avatar, to anyone signed in (the route requires a user); `not_found` once replaced or removed. */
    async findAvatar (avatarId: string): Promise<AvatarRecord> {
      const avatar = await storage.images.findAvatar(avatarId)
      if (!avatar) throw notFound()
      return avatar
    },

    async avatarBytes (avatar: AvatarRecord): Promise<Uint8Array> {
      const bytes = await storage.images.avatarBytes(avatar.id)
      // Replaced since it was found.
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
