import { argon2, randomBytes, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'

const derive = promisify(argon2)

// OWASP's minimum for Argon2id: 19 MiB of memory, 2 passes, 1 lane.
const defaults = { memory: 19_456, passes: 2, parallelism: 1, tagLength: 32 }

/** Hashes a password into a self-describing PHC string (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`). */
export async function hashPassword (password: string) {
  const nonce = randomBytes(16)
  const hash = await derive('argon2id', { ...defaults, message: password, nonce })
  const params = `m=${defaults.memory},t=${defaults.passes},p=${defaults.parallelism}`
  return `$argon2id$v=19$${params}$${nonce.toString('base64url')}$${hash.toString('base64url')}`
}

/** Checks a password against a PHC string in constant time; false for anything malformed. */
export async function verifyPassword (password: string, stored: string) {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([\w-]+)\$([\w-]+)$/.exec(stored)
  if (!match) return false
  const [, memory, passes, parallelism, nonce, expected] = match
  const expectedBytes = Buffer.from(expected!, 'base64url')
  const actual = await derive('argon2id', {
    message: password,
    nonce: Buffer.from(nonce!, 'base64url'),
    memory: Number(memory),
    passes: Number(passes),
    parallelism: Number(parallelism),
    tagLength: expectedBytes.length
  })
  return timingSafeEqual(actual, expectedBytes)
}

/** A hash of a random password, verified against when the user does not exist, so timing reveals nothing. */
export const decoyHash = hashPassword(randomBytes(16).toString('hex'))
