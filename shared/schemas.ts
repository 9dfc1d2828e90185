import { Type } from 'typebox'

/** Primitives shared by every feature's schemas. */
export const IdSchema = Type.String({ minLength: 1, maxLength: 64, description: 'an opaque id' })
export const TimestampSchema = Type.Integer({ minimum: 0, description: 'epoch milliseconds' })
export const UsernameSchema = Type.String({
  minLength: 3,
  maxLength: 32,
  pattern: '^[A-Za-z0-9_.-]+$',
  description: '3-32 of A-Z a-z 0-9 _ . -; unique case-insensitively'
})
export const PasswordSchema = Type.String({ minLength: 8, maxLength: 256 })
export const EmptySchema = Type.Object({}, { additionalProperties: false })
