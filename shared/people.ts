import { Type, type Static } from 'typebox'
import { push, route } from './protocol.ts'
import { IdSchema, NameText, TimestampSchema } from './schemas.ts'

export const DISPLAY_NAME_MAX_LENGTH = 40
export const STATUS_MAX_LENGTH = 100
/** The longest "clear after": a week. */
export const STATUS_CLEAR_MAX_MINUTES = 7 * 24 * 60
export const PEOPLE_PAGE = 20
export const PROFILES_PER_LOOKUP = 100
export const PEOPLE_QUERY_MAX_LENGTH = 40

/** An IANA time zone name (`Europe/Paris`), checked with `Intl` by the server; empty: not said. */
export const TimeZoneSchema = Type.String({ maxLength: 64, pattern: '^$|^[A-Za-z][A-Za-z0-9_+/-]*$', description: 'an IANA time zone (Europe/Paris); empty: not said' })

/**
 * What everyone signed in may see of a user. The avatar is the picture `avatarId` names when the
 * user has uploaded one, else drawn by each client from `id`.
 */
export const ProfileSchema = Type.Object({
  id: IdSchema,
  username: Type.String(),
  displayName: Type.String({ description: 'empty: none (show the username)' }),
  statusText: Type.String({ description: 'empty: none; an expired status is sent empty' }),
  statusExpiresAt: Type.Union([TimestampSchema, Type.Null()], { description: 'when the status clears by itself; null: never' }),
  timeZone: Type.String({ description: 'an IANA time zone, for the local time on the profile card; empty: not said' }),
  avatarId: Type.Optional(Type.String({
    minLength: 1, maxLength: 64, description: 'the uploaded avatar, served at `GET /api/avatars/:avatarId` (a new one, a new id); absent: the generated one'
  }))
})
export type Profile = Static<typeof ProfileSchema>

/** A display name when there is one (the forms check it before sending). */
export const DisplayNameTextSchema = NameText({ minLength: 1, maxLength: DISPLAY_NAME_MAX_LENGTH })
export const StatusTextTextSchema = NameText({ minLength: 1, maxLength: STATUS_MAX_LENGTH })
export const DisplayNameSchema = Type.Union([Type.Literal(''), DisplayNameTextSchema], {
  description: `1-${DISPLAY_NAME_MAX_LENGTH} characters on one line, starting and ending with a visible one; empty clears it`
})
export const StatusTextSchema = Type.Union([Type.Literal(''), StatusTextTextSchema], {
  description: `1-${STATUS_MAX_LENGTH} characters on one line, starting and ending with a visible one; empty clears it`
})

export const ProfileUpdateSchema = Type.Object({
  displayName: Type.Optional(DisplayNameSchema),
  statusText: Type.Optional(StatusTextSchema),
  statusClearAfterMinutes: Type.Optional(Type.Integer({
    minimum: 1, maximum: STATUS_CLEAR_MAX_MINUTES, description: 'with `statusText`: minutes until it clears by itself; absent: never'
  })),
  timeZone: Type.Optional(TimeZoneSchema)
}, { additionalProperties: false, minProperties: 1 })
export type ProfileUpdate = Static<typeof ProfileUpdateSchema>

const strict = { additionalProperties: false } as const

export const peoplePushes = {
  'people:profile': push({
    summary: 'A user\'s profile changed (display name, status, time zone, avatar): to every socket in a room they belong to, and to their own.',
    payload: Type.Object({ profile: ProfileSchema })
  })
}

export const peopleRoutes = {
  directory: route({
    method: 'GET',
    url: '/api/people',
    summary: `Find people by username or display name (a part of either, case ignored; empty: everyone), by username, ${PEOPLE_PAGE} a page. Rate limited: who exists is not to be enumerated.`,
    auth: 'user',
    querystring: Type.Object({
      q: Type.Optional(Type.String({ maxLength: PEOPLE_QUERY_MAX_LENGTH })),
      cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'the previous page\'s `nextCursor`' }))
    }, strict),
    response: {
      200: Type.Object({
        people: Type.Array(ProfileSchema),
        nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'the next page\'s `cursor`; null on the last page' })
      })
    }
  }),
  profiles: route({
    method: 'POST',
    url: '/api/people/profiles',
    summary: `The profiles of up to ${PROFILES_PER_LOOKUP} users by id (unknown ids are left out).`,
    auth: 'user',
    body: Type.Object({ userIds: Type.Array(IdSchema, { minItems: 1, maxItems: PROFILES_PER_LOOKUP }) }, strict),
    response: { 200: Type.Object({ profiles: Type.Array(ProfileSchema) }) }
  }),
  updateProfile: route({
    method: 'PATCH',
    url: '/api/profile',
    summary: 'Change your display name, status (with an optional "clear after") or time zone; the fields sent change, the others stay. Pushed as `people:profile`.',
    auth: 'user',
    body: ProfileUpdateSchema,
    response: { 200: Type.Object({ profile: ProfileSchema }) }
  })
}
