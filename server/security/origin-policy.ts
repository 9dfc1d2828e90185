import type { IncomingMessage } from 'node:http'
import type { TLSSocket } from 'node:tls'
import { SESSION_COOKIE } from '../../shared/auth.ts'
import type { ProxyTrust } from './client-address.ts'

/** The serialized origin of a URL (`https://host[:port]`, default ports dropped), or null. */
const originOf = (text: string) => {
  try {
    const { origin } = new URL(text)
    return origin === 'null' ? null : origin
  } catch {
    return null
  }
}

/** Methods that change nothing: the ones the HTTP Origin check lets through from anywhere. */
export const safeMethods: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS'])
const sessionCookie = new RegExp(`(?:^|;)\\s*${SESSION_COOKIE}=`)

/**
 * Decides whether a request's Origin may act with the user's credentials. Browsers apply no CORS
 * to WebSocket upgrades, so every handshake and every HTTP write goes through here.
 *
 * - The app's own origin is allowed: the scheme and host of this very request, the scheme being
 *   `https` on a TLS socket or when a trusted proxy says so in X-Forwarded-Proto. `https://host`
 *   over plain http is another origin. So are the origins not listed in `allowedOrigins`.
 * - A missing Origin is allowed on a handshake (a GET): a same-origin long-polling handshake
 *   carries none, and the session cookie is SameSite=Lax, so no other site can make a browser send
 *   it with a subrequest. A write without Origin is allowed only without the session cookie (a
 *   client holding a bearer token, which is never ambient): browsers send Origin with every POST,
 *   so a cookie without one is something a browser would not send.
 */
export function createOriginPolicy ({ allowedOrigins, proxyTrust }: { allowedOrigins: readonly string[], proxyTrust: ProxyTrust }) {
  const allowed = new Set(allowedOrigins.map(originOf))
  const schemeOf = (req: IncomingMessage) => {
    if ((req.socket as Partial<TLSSocket>).encrypted) return 'https'
    const forwarded = req.headers['x-forwarded-proto']
    if (typeof forwarded === 'string' && proxyTrust(req.socket.remoteAddress ?? '', 0)) {
      return forwarded.split(',').at(-1)!.trim().toLowerCase()
    }
    return 'http'
  }
  return (req: IncomingMessage) => {
    const { origin, host, cookie } = req.headers
    if (origin === undefined) return safeMethods.has(req.method ?? '') || !sessionCookie.test(cookie ?? '')
    const given = originOf(origin)
    if (given === null) return false
    return allowed.has(given) || (host !== undefined && given === originOf(`${schemeOf(req)}://${host}`))
  }
}

export type OriginPolicy = ReturnType<typeof createOriginPolicy>
