import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Compile } from 'typebox/compile'
import { PasswordSchema, UsernameSchema } from '../../shared/schemas.ts'
import { validateCredential, validateNewUsername } from '../../client/src/auth/credential-rules.ts'

describe('validateCredential', () => {
  it('agrees with the shared schemas the server validates with', () => {
    const username = Compile(UsernameSchema)
    const password = Compile(PasswordSchema)
    for (const value of ['ab', 'abc', 'ada_lovelace', 'a.b-c_d', 'x'.repeat(32), 'x'.repeat(33), 'has space', 'émile', 'bad!']) {
      assert.equal(validateCredential('username', value) === null, username.Check(value), `username ${JSON.stringify(value)}`)
    }
    for (const value of ['short', '12345678', 'x'.repeat(256), 'x'.repeat(257)]) {
      assert.equal(validateCredential('password', value) === null, password.Check(value), `password ${value.length} chars`)
    }
  })

  it('names the problem in a sentence', () => {
    assert.equal(validateCredential('username', ''), 'Enter a username.')
    assert.equal(validateCredential('username', 'ab'), 'Username must be at least 3 characters.')
    assert.match(validateCredential('username', 'a b c') ?? '', /Spaces can’t be used/)
  })
})

describe('validateNewUsername', () => {
  it('refuses the reserved mention words, in any case, as the server does', () => {
    for (const name of ['room', 'Room', 'everyone', 'HERE', 'channel']) {
      assert.match(validateNewUsername(name) ?? '', /is reserved: @\w+ is a mention word/, name)
    }
    assert.equal(validateNewUsername('roomie'), null)
    assert.equal(validateNewUsername('ab'), 'Username must be at least 3 characters.', 'the usual rules first')
    assert.equal(validateCredential('username', 'room'), null, 'signing in as an old account named room stays possible')
  })
})
