import type { IncomingMessage } from 'node:http'
import type { Socket } from 'socket.io'
import { SESSION_COOKIE } from '../../shared/auth.ts'
import { ConnectErrors, PROTOCOL_VERSION } from '../../shared/protocol.ts'
import type { AuthService } from '../auth/create-auth-service.ts'
import { addressKey } from '../security/client-address.ts'
import { rooms } from './rooms.ts'
import type { SocketData } from './types.ts'

interface HandshakeDeps {
  auth: AuthService
  parseCookie: (header: string) => Record<string, string | undefined>
  requireUser: boolean
  /**
   * Join the user's room (pushes to every socket of a user). Namespaces that push nothing per user
   * skip it: a room per idle connection is memory for nothing. The session room is always joined
   * (signing out disconnects every socket of the session through it).
   */
  userRoom?: boolean
  /** The client's address from the handshake request (the peer's, unless behind trusted proxies). */
  clientAddress: (request: IncomingMessage) => string
}

/**
 * The one middleware of every namespace: checks the protocol version, then finds the session
 * from `auth.token` (non-browser clients) or the session cookie (browsers, same origin).
 */
export function createHandshake ({ auth, parseCookie, requireUser, userRoom = true, clientAddress }: HandshakeDeps) {
  return async (socket: Socket<never, never, never, SocketData>, next: (error?: Error) => void) => {
    const given = (socket.handshake.auth ?? {}) as { token?: unknown, protocolVersion?: unknown }
    if (given.protocolVersion !== undefined && given.protocolVersion !== PROTOCOL_VERSION) {
      return next(new Error(ConnectErrors.protocolMismatch))
    }
    try {
      const token = typeof given.token === 'string' ? given.token : parseCookie(socket.handshake.headers.cookie ?? '')[SESSION_COOKIE]
      const session = await auth.authenticate(token)
      if (!session && (requireUser || given.token !== undefined)) return next(new Error(ConnectErrors.unauthorized))
      socket.data.user = session?.user ?? null
      socket.data.sessionId = session?.id ?? null
      socket.data.address = addressKey(clientAddress(socket.request))
      if (session) socket.join(userRoom ? [rooms.session(session.id), rooms.user(session.user.id)] : rooms.session(session.id))
      next()
    } catch (error) {
      next(error as Error)
    }
  }
}
