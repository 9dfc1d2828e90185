import type { IncomingMessage } from 'node:http'
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
