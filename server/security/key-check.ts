import { createHash, timingSafeEqual } from 'node:crypto'

const digest = (value: string) => createHash('sha256').update(value).digest()

/**
 * Which of `keys` an `Authorization: Bearer <key>` header presents, as its index, or null.
 * Compared as SHA-256 digests in constant time, against every key, so timing tells nothing.
 */
export function createKeyCheck (keys: readonly string[]) {
  const digests = keys.map(digest)
  return (authorization: string | undefined) => {
    const presented = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1]
    if (!presented) return null
    const given = digest(presented)
    let match: number | null = null
    digests.forEach((expected, index) => { if (timingSafeEqual(given, expected)) match = index })
    return match
  }
}
