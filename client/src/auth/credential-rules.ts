import type { TStringOptions } from 'typebox'
import { isReservedUsername } from '../../../shared/auth.ts'
import { PasswordSchema, UsernameSchema } from '../../../shared/schemas.ts'

export type CredentialField = 'username' | 'password'

export interface CredentialRule {
  label: string
  minLength: number
  maxLength: number
  /** Matches one allowed character, when the schema restricts the alphabet. */
  allowedChar: RegExp | null
  /** The allowed alphabet for people, e.g. "A–Z a–z 0–9 _ . -". */
  alphabet: string | null
}

// The limits live in the shared schemas (the server validates with the same ones); the form only
// reads them, so a change there changes both ends at once.
// (TypeBox's TString type does not declare the keywords, though the schema object carries them.)
const limitsOf = (schema: object) => {
  const { minLength, maxLength, pattern } = schema as TStringOptions
  return {
    minLength: typeof minLength === 'number' ? minLength : 0,
    maxLength: typeof maxLength === 'number' ? maxLength : Number.POSITIVE_INFINITY,
    pattern: pattern instanceof RegExp ? pattern.source : typeof pattern === 'string' ? pattern : null
  }
}

/** `^[A-Za-z0-9_.-]+$` -> the character class `A-Za-z0-9_.-`; anything fancier is not a plain alphabet. */
const characterClassOf = (pattern: string | null): string | null =>
  pattern === null ? null : (/^\^\[([^\]^][^\]]*)\][+*]\$$/.exec(pattern)?.[1] ?? null)

const describeClass = (cls: string): string => {
  const parts: string[] = []
  for (let i = 0; i < cls.length; i++) {
    const char = cls[i] ?? ''
    if (char === '\\') {
      parts.push(cls[i + 1] ?? '')
      i++
    } else if (cls[i + 1] === '-' && i + 2 < cls.length) {
      parts.push(`${char}–${cls[i + 2] ?? ''}`)
      i += 2
    } else {
      parts.push(char)
    }
  }
  return parts.join(' ')
}

const ruleFrom = (label: string, schema: object): CredentialRule => {
  const limits = limitsOf(schema)
  const cls = characterClassOf(limits.pattern)
  return {
    label,
    minLength: limits.minLength,
    maxLength: limits.maxLength,
    allowedChar: cls === null ? null : new RegExp(`^[${cls}]$`, 'u'),
    alphabet: cls === null ? null : describeClass(cls)
  }
}

const usernamePattern = limitsOf(UsernameSchema).pattern

export const credentialRules: Record<CredentialField, CredentialRule> = {
  username: ruleFrom('Username', UsernameSchema),
  password: ruleFrom('Password', PasswordSchema)
}

// JSON Schema counts code points, not UTF-16 units.
const lengthOf = (value: string) => [...value].length

/** The first problem with a value, as a sentence for the form, or null when it is valid. */
export const validateCredential = (field: CredentialField, value: string): string | null => {
  const rule = credentialRules[field]
  if (value.length === 0) return `Enter a ${rule.label.toLowerCase()}.`
  const length = lengthOf(value)
  if (length < rule.minLength) return `${rule.label} must be at least ${rule.minLength} characters.`
  if (length > rule.maxLength) return `${rule.label} must be at most ${rule.maxLength} characters.`
  if (field === 'username') {
    const allowed = rule.allowedChar
    const bad = allowed ? [...value].find((char) => !allowed.test(char)) : undefined
    if (bad !== undefined) {
      const shown = bad.trim() === '' ? 'Spaces' : `“${bad}”`
      return `${shown} can’t be used. Allowed: ${rule.alphabet ?? ''}`
    }
    if (usernamePattern !== null && !new RegExp(usernamePattern, 'u').test(value)) {
      return `${rule.label} has characters that can’t be used.`
    }
  }
  return null
}

/**
 * The first problem with a name for a new account: what `validateCredential` says, or that the
 * name is reserved (the server refuses it too; an old account of that name still signs in, so
 * the sign-in form does not ask this).
 */
export const validateNewUsername = (value: string): string | null =>
  validateCredential('username', value) ??
  (isReservedUsername(value) ? `“${value}” is reserved: @${value.toLowerCase()} is a mention word. Choose another name.` : null)

/** A short hint shown under the field while creating an account. */
export const describeRule = (field: CredentialField): string => {
  const rule = credentialRules[field]
  const length = Number.isFinite(rule.maxLength) && field === 'username'
    ? `${rule.minLength}–${rule.maxLength} characters`
    : `At least ${rule.minLength} characters`
  return rule.alphabet ? `${length}: ${rule.alphabet}` : `${length}.`
}
