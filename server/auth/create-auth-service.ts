import { createHash, randomBytes } from 'node:crypto'
import type { Credentials } from '../../shared/auth.ts'
import { AppError } from '../errors.ts'
import type { RateLimiter } from '../rate-limit/token-bucket.ts'
import type { SessionRecord, Storage } from '../storage/types.ts'
import { decoyHash, hashPassword, verifyPassword } from './passwords.ts'

/** Tokens are 256 random bits; only their SHA-256 is stored, so a database leak yields no sessions. */
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')
const newToken = () => randomBytes(32).toString('base64url')

export interface AuthServiceDeps {
  storage: Storage
  sessionTtlMs: number
  /** Login attempts, keyed by `ip:<address>` and `user:<name>`. */
  loginLimiter: RateLimiter
  /** New accounts per address (each costs a deliberately slow password hash). */
  registerLimiter: RateLimiter
  now?: () => number
}

export function createAuthService ({ storage, sessionTtlMs, loginLimiter, registerLimiter, now = Date.now }: AuthServiceDeps) {
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
      if (!registerLimiter.take(ip)) throw new AppError('rate_limited', 'Too many new accounts from here. Try again later.')
      if (await storage.users.findByUsername(username)) throw new AppError('conflict', 'That username is taken.')
      const user = await storage.users.create({ username, passwordHash: await hashPassword(password), now: now() })
      return startSession(user.id)
    },

    async login ({ username, password }: Credentials, ip: string) {
      const limited = !loginLimiter.take(`ip:${ip}`) || !loginLimiter.take(`user:${username.toLowerCase()}`)
      if (limited) throw new AppError('rate_limited', 'Too many sign-in attempts. Wait a minute and try again.')
      const user = await storage.users.findByUsername(username)
      const ok = await verifyPassword(password, user?.passwordHash ?? await decoyHash)
      if (!user || !ok) throw new AppError('unauthorized', 'Wrong username or password.')
      return startSession(user.id)
    },

    /** Revokes the session of this token; returns the revoked session's id, if any. */
    async logout (token: string) {
      return storage.sessions.revoke(hashToken(token))
    },

    /** Deletes the sessions that have expired (they are refused already; this frees their rows). */
    async deleteExpiredSessions () {
      return storage.sessions.deleteExpired(now())
    },

    async authenticate (token: string | undefined): Promise<SessionRecord | null> {
      if (!token || token.length > 128) return null
      return storage.sessions.find(hashToken(token), now())
    }
  }
}

export type AuthService = ReturnType<typeof createAuthService>
