import { createHash, randomBytes } from 'node:crypto'
import { isReservedUsername, type Credentials } from '../../shared/auth.ts'
import { AppError } from '../errors.ts'
import { takeOrRefuse } from '../rate-limit/take-or-refuse.ts'
import type { RateLimiter } from '../rate-limit/rate-limiter.ts'
import { addressKey } from '../security/client-address.ts'
import type { SessionRecord, Storage } from '../storage/types.ts'
import { decoyHash, hashPassword, verifyPassword } from './passwords.ts'

/** Tokens are 256 random bits; only their SHA-256 is stored, so a database leak yields no sessions. */
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')
const newToken = () => randomBytes(32).toString('base64url')

export interface AuthServiceDeps {
  storage: Storage
  sessionTtlMs: number
  /**
   * Login attempts per account and address together (`<name>@<address>`): guessing one password
   * from one place. Keyed by the account alone, anyone could lock its owner out.
   */
  loginLimiter: RateLimiter
  /** Login attempts per address, whatever the account: one place trying many accounts. */
  loginAddressLimiter: RateLimiter
  /** New accounts per address (each costs a deliberately slow password hash). */
  registerLimiter: RateLimiter
  now?: () => number
}

export function createAuthService ({ storage, sessionTtlMs, loginLimiter, loginAddressLimiter, registerLimiter, now = Date.now }: AuthServiceDeps) {
  const startSession = async (userId: string) => {
    const token = newToken()
    const t = now()
    const session = await storage.sessions.create({ tokenHash: hashToken(token), userId, now: t, expiresAt: t + sessionTtlMs })
    return { token, session }
  }

  return {
    /** A new session for an existing user; what register and login end with (seeding tools use it alone). */
    startSession,

    async register ({ username, password }: Credentials, ip: string) {
      await takeOrRefuse(registerLimiter, addressKey(ip), 'Too many new accounts from here.')
      // Only new accounts: an existing one of that name (made before it was reserved) still signs in.
      if (isReservedUsername(username)) throw new AppError('invalid_payload', `username: “${username}” is reserved (a mention word, like @room). Choose another name.`)
      if (await storage.users.findByUsername(username)) throw new AppError('conflict', 'That username is taken.')
      const user = await storage.users.create({ username, passwordHash: await hashPassword(password), now: now() })
      return startSession(user.id)
    },

    async login ({ username, password }: Credentials, ip: string) {
      const from = addressKey(ip)
      await takeOrRefuse(loginAddressLimiter, from, 'Too many sign-in attempts from here.')
      await takeOrRefuse(loginLimiter, `${username.toLowerCase()}@${from}`, 'Too many sign-in attempts for this account.')
      const user = await storage.users.findByUsername(username)
      const ok = await verifyPassword(password, user?.passwordHash ?? await decoyHash)
      if (!user || !ok) throw new AppError('unauthorized', 'Wrong username or password.')
      return startSession(user.id)
    },

    /** Revokes the session of this token; returns the revoked session's id, if any. */
    async logout (token: string) {
      return storage.sessions.revoke(hashToken(token))
    },

    async authenticate (token: string | undefined): Promise<SessionRecord | null> {
      if (!token || token.length > 128) return null
      return storage.sessions.find(hashToken(token), now())
    }
  }
}

export type AuthService = ReturnType<typeof createAuthService>
