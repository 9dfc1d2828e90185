import type { IncomingMessage } from 'node:http'
import { isIP } from 'node:net'
import proxyAddr from '@fastify/proxy-addr'

/** Whether `address` (the TCP peer at hop 0, then each X-Forwarded-For entry) is a proxy we believe. */
export type ProxyTrust = (address: string, hop: number) => boolean

/** What `TRUST_PROXY=true` means: a proxy on this machine, nothing else. */
export const LOOPBACK_PROXIES: readonly string[] = ['127.0.0.1/8', '::1']

/**
 * The trust rule of a list of proxy addresses and CIDRs (throws a TypeError naming a bad entry).
 * An empty list trusts no one: X-Forwarded-* headers are then ignored.
 */
export const createProxyTrust = (proxies: readonly string[]): ProxyTrust => proxyAddr.compile([...proxies])

/**
 * The client address of a request or a Socket.IO handshake (`socket.request`), as every
 * per-address limit keys it: X-Forwarded-For is walked from the right while the hop it came from
 * is a trusted proxy, so a client can prepend what it likes and still be counted as itself.
 * Fastify's `request.ip` uses the same trust function (see app.ts).
 */
export const createClientAddress = (trust: ProxyTrust) =>
  (req: IncomingMessage): string => proxyAddr(req, trust) ?? ''

/**
 * What per-address limits count by: an IPv4 address as it is, an IPv6 address by its /64 network.
 * One subscriber or host is routed a whole /64 and can pick a fresh address from it for every
 * request, so counting single IPv6 addresses would limit nobody.
 */
export function addressKey (address: string) {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  if (mapped) return mapped[1]!
  if (isIP(address) !== 6) return address
  const [head = '', tail] = address.split('::')
  const groups = head === '' ? [] : head.split(':')
  if (tail !== undefined) {
    const rest = tail === '' ? [] : tail.split(':')
    groups.push(...Array<string>(Math.max(0, 8 - groups.length - rest.length)).fill('0'), ...rest)
  }
  return `${groups.slice(0, 4).map((group) => parseInt(group, 16).toString(16)).join(':')}::/64`
}
