import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { TSchema } from 'typebox'
import { Compile } from 'typebox/compile'
import { MessageTextSchema, RoomNameSchema, roomNameKey, TopicSchema } from '../../shared/chat.ts'
import { IdSchema, matchesPattern, PasswordSchema, TimestampSchema, UsernameSchema } from '../../shared/schemas.ts'
import { describeSchemaError } from '../../server/validation.ts'

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

describe('text patterns', () => {
  const cases: [string, object, string, boolean][] = [
    ['a message', MessageTextSchema, 'hello', true],
    ['a message of one emoji', MessageTextSchema, '🎉', true],
    ['a message with a newline and CJK', MessageTextSchema, '  \n你好', true],
    ['a message of zero-width spaces', MessageTextSchema, '\u200b\u200b', false],
    ['a message of white space and joiners', MessageTextSchema, ' \u200d\u2060\ufeff\n', false],
    ['a message of a Hangul filler', MessageTextSchema, '\u3164', false],
    ['a message of a lone combining mark', MessageTextSchema, '\u0301', false],
    ['a message with a lone high surrogate', MessageTextSchema, 'a\ud800b', false],
    ['a message with a lone low surrogate at the end', MessageTextSchema, 'ab\udc00', false],
    ['a room name', RoomNameSchema, 'Café talk', true],
    ['a room name of zero-width spaces', RoomNameSchema, '\u200b\u200b', false],
    ['a room name with a leading zero-width space', RoomNameSchema, '\u200bgeneral', false],
    ['a room name on two lines', RoomNameSchema, 'ab\ncd', false],
    ['a room name with a tab', RoomNameSchema, 'ab\tcd', false],
    ['a topic with a lone surrogate', TopicSchema, 'x\udbff', false],
    ['a topic with a NUL, which PostgreSQL cannot store', TopicSchema, 'x\u0000y', false],
    ['a message with a NUL', MessageTextSchema, 'hi\u0000there', false],
    ['an empty topic', TopicSchema, '', true]
  ]
  for (const [what, schema, text, valid] of cases) {
    it(`${valid ? 'accepts' : 'refuses'} ${what}`, () => {
      assert.equal(Compile(schema as TSchema).Check(text), valid)
      assert.equal(matchesPattern(schema, text), valid)
    })
  }

  it('says what a text pattern means instead of printing it', () => {
    const [error] = Compile(MessageTextSchema).Errors('\u200b')
    assert.equal(describeSchemaError(error), 'payload: must contain a visible character, and no lone surrogate or NUL')
  })

  it('makes room names that look the same the same key', () => {
    assert.equal(roomNameKey('General'), roomNameKey('ｇｅｎｅｒａｌ'))
    assert.equal(roomNameKey('Cafe\u0301'), roomNameKey('Café'))
    assert.notEqual(roomNameKey('general'), roomNameKey('general2'))
  })
})
