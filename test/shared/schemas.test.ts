import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { TSchema } from 'typebox'
import { Compile } from 'typebox/compile'
import { IdSchema, PasswordSchema, TimestampSchema, UsernameSchema } from '../../shared/schemas.ts'

/** Asserts that `schema` accepts every value of `good` and rejects every value of `bad`, naming the offender. */
function assertRule (schema: TSchema, good: unknown[], bad: unknown[]) {
  const check = Compile(schema)
  for (const value of good) assert.equal(check.Check(value), true, `expected ${JSON.stringify(value)} to be accepted`)
  for (const value of bad) assert.equal(check.Check(value), false, `expected ${JSON.stringify(value)} to be rejected`)
}

describe('UsernameSchema', () => {
  it('accepts 3 to 32 letters, digits, underscores, dots and dashes', () => {
    assertRule(UsernameSchema, ['bob', 'Alice_01', 'a.b-c', 'ABC', '___', 'x'.repeat(32), '0-9'], [])
  })

  it('rejects names that are too short or too long', () => {
    assertRule(UsernameSchema, [], ['', 'ab', 'x'.repeat(33)])
  })

  it('rejects spaces, @, slashes, non-ASCII letters and markup', () => {
    assertRule(UsernameSchema, [], ['bob smith', ' bob', 'bob ', 'bob@example', 'a/b', 'zoë', 'ünïcode', '<script>', 'tab\there', 'new\nline'])
  })

  it('rejects anything that is not a string', () => {
    assertRule(UsernameSchema, [], [null, undefined, 123, ['bob'], { name: 'bob' }])
  })
})

describe('PasswordSchema', () => {
  it('accepts 8 to 256 characters of any kind', () => {
    assertRule(PasswordSchema, ['12345678', 'correct horse battery staple', 'p'.repeat(256), 'пароль-пароль', '        '], [])
  })

  it('rejects passwords shorter than 8 or longer than 256 characters', () => {
    assertRule(PasswordSchema, [], ['', '1234567', 'p'.repeat(257)])
  })

  it('rejects anything that is not a string', () => {
    assertRule(PasswordSchema, [], [12345678, null, undefined])
  })
})

describe('IdSchema and TimestampSchema', () => {
  it('accept opaque ids of 1-64 characters and non-negative integer times', () => {
    assertRule(IdSchema, ['a', 'x'.repeat(64)], ['', 'x'.repeat(65), 1])
    assertRule(TimestampSchema, [0, 1_700_000_000_000], [-1, 1.5, '0'])
  })
})
