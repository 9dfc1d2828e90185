import { randomBytes } from 'node:crypto'

/** A random, URL-safe, 128-bit id. */
export const newId = () => randomBytes(16).toString('base64url')
