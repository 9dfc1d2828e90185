import { Type, type Static } from 'typebox'
import { route } from './protocol.ts'
import { IdSchema, PasswordSchema, UsernameSchema } from './schemas.ts'

export const UserSchema = Type.Object({ id: IdSchema, username: Type.String() })
export type User = Static<typeof UserSchema>

export const CredentialsSchema = Type.Object({
  username: UsernameSchema,
  password: PasswordSchema
}, { additionalProperties: false })
export type Credentials = Static<typeof CredentialsSchema>

export const SessionResponseSchema = Type.Object({ user: UserSchema, token: Type.String() })
export type SessionResponse = Static<typeof SessionResponseSchema>

export const MeResponseSchema = Type.Object({ user: UserSchema })
export type MeResponse = Static<typeof MeResponseSchema>

export const SESSION_COOKIE = 'hubbub_session'

/**
 * Names no new account may take (case-insensitively): in a message they are mention words
 * (`@room` notifies a whole room), so a person of that name could never be mentioned alone.
 * Accounts made before a name was reserved keep it and sign in as before.
 */
export const RESERVED_USERNAMES = ['room', 'everyone', 'here', 'channel'] as const
export type ReservedUsername = typeof RESERVED_USERNAMES[number]

export const isReservedUsername = (username: string) => (RESERVED_USERNAMES as readonly string[]).includes(username.toLowerCase())

export const authRoutes = {
  register: route({
    method: 'POST',
    url: '/api/auth/register',
    summary: 'Create an account and sign in. A taken name (case-insensitive) is 409; a reserved one (`room`, `everyone`, `here`, `channel`: mention words) is 400 `invalid_payload`.',
    auth: 'none',
    body: CredentialsSchema,
    response: { 201: SessionResponseSchema }
  }),
  login: route({
    method: 'POST',
    url: '/api/auth/login',
    summary: 'Sign in. Wrong name or password is 401 with one generic message; repeated failures 429.',
    auth: 'none',
    body: CredentialsSchema,
    response: { 200: SessionResponseSchema }
  }),
  logout: route({
    method: 'POST',
    url: '/api/auth/logout',
    summary: 'Revoke the session and disconnect every socket of it.',
    auth: 'user',
    response: { 204: null }
  }),
  me: route({
    method: 'GET',
    url: '/api/auth/me',
    summary: 'The signed-in user, or 401.',
    auth: 'user',
    response: { 200: MeResponseSchema }
  })
}
