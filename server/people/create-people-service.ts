import type { User } from '../../shared/auth.ts'
import type { chatPushes } from '../../shared/chat.ts'
import { PEOPLE_PAGE, type Profile, type ProfileUpdate } from '../../shared/people.ts'
import { AppError } from '../errors.ts'
import { takeOrRefuse } from '../rate-limit/take-or-refuse.ts'
import type { RateLimiter } from '../rate-limit/rate-limiter.ts'
import type { Publisher } from '../realtime/publisher.ts'
import { displayNameKey } from '../storage/rows.ts'
import type { ProfileChange, ProfileRecord, Storage } from '../storage/types.ts'

export interface PeopleServiceDeps {
  storage: Storage
  /** `people:profile` goes out on /chat, where the rooms are. */
  publish: Publisher<typeof chatPushes>
  /** Directory pages per user: each says who exists. */
  directoryLimiter: RateLimiter
  lookupLimiter: RateLimiter
  updateLimiter: RateLimiter
  now?: () => number
}

/** Whether `Intl` knows the time zone (IANA names; case as the database spells it is not required). */
export const isTimeZone = (name: string) => {
  try {
    // eslint-disable-next-line no-new
    new Intl.DateTimeFormat('en', { timeZone: name })
    return true
  } catch {
    return false
  }
}

/** The directory cursor: the last username key of a page, opaque to clients. */
const encodeCursor = (key: string) => Buffer.from(key, 'utf8').toString('base64url')
const decodeCursor = (cursor: string) => {
  const key = Buffer.from(cursor, 'base64url').toString('utf8')
  if (key.length === 0 || encodeCursor(key) !== cursor) throw new AppError('invalid_payload', 'cursor: not one this server gave.')
  return key
}

/** Profiles: what everyone signed in sees of a user, the directory, and changes pushed live. */
export function createPeopleService ({ storage, publish, directoryLimiter, lookupLimiter, updateLimiter, now = Date.now }: PeopleServiceDeps) {
  /** A profile as others see it now: an expired status is gone. */
  const visible = (record: ProfileRecord): Profile => {
    const expired = record.statusExpiresAt !== null && record.statusExpiresAt <= now()
    return {
      id: record.id,
      username: record.username,
      displayName: record.displayName,
      statusText: expired ? '' : record.statusText,
      statusExpiresAt: expired ? null : record.statusExpiresAt,
      timeZone: record.timeZone,
      ...(record.avatarId !== undefined && { avatarId: record.avatarId })
    }
  }

  /** Tells everyone who sees the user (their rooms) and the user's own tabs the profile as it now is. */
  const announce = async (userId: string, record: ProfileRecord | null | undefined, changed = true) => {
    if (!record) throw new AppError('not_found', 'No such user.')
    const profile = visible(record)
    if (changed) publish.emit({ rooms: await storage.users.roomIds(userId), user: userId }, 'people:profile', { profile })
    return profile
  }

  return {
    visible,

    async directory (user: User, { q = '', cursor }: { q?: string | undefined, cursor?: string | undefined }) {
      await takeOrRefuse(directoryLimiter, user.id, 'You are looking through the directory too fast.')
      const after = cursor === undefined ? undefined : decodeCursor(cursor)
      const records = await storage.users.findPeople({ query: displayNameKey(q.trim()), after, limit: PEOPLE_PAGE + 1 })
      const page = records.slice(0, PEOPLE_PAGE)
      return {
        people: page.map(visible),
        nextCursor: records.length > PEOPLE_PAGE ? encodeCursor(page.at(-1)!.username.toLowerCase()) : null
      }
    },

    async profiles (user: User, userIds: readonly string[]) {
      await takeOrRefuse(lookupLimiter, user.id, 'You are looking up too many profiles.')
      return (await storage.users.profiles([...new Set(userIds)])).map(visible)
    },

    async update (user: User, { displayName, statusText, statusClearAfterMinutes, timeZone }: ProfileUpdate) {
      // Checked before anything is taken or stored: a refused change changes nothing.
      if (statusClearAfterMinutes !== undefined && statusText === undefined) {
        throw new AppError('invalid_payload', 'statusClearAfterMinutes: goes with statusText.')
      }
      if (timeZone !== undefined && timeZone !== '' && !isTimeZone(timeZone)) {
        throw new AppError('invalid_payload', `timeZone: ${timeZone} is not a time zone this server knows.`)
      }
      await takeOrRefuse(updateLimiter, user.id, 'You are changing your profile too often.')
      const change: ProfileChange = {
        ...(displayName !== undefined && { displayName: displayName.normalize('NFC') }),
        ...(statusText !== undefined && {
          status: {
            text: statusText.normalize('NFC'),
            expiresAt: statusText !== '' && statusClearAfterMinutes !== undefined ? now() + statusClearAfterMinutes * 60_000 : null
          }
        }),
        ...(timeZone !== undefined && { timeZone: timeZone === '' ? '' : new Intl.DateTimeFormat('en', { timeZone }).resolvedOptions().timeZone })
      }
      return announce(user.id, await storage.users.updateProfile(user.id, change))
    },

    /** After the user's avatar was set or removed (by the image service): the profile as it now is, pushed when it changed. */
    async avatarChanged (user: User, changed = true) {
      const [record] = await storage.users.profiles([user.id])
      return announce(user.id, record, changed)
    }
  }
}

export type PeopleService = ReturnType<typeof createPeopleService>
