import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Compile } from 'typebox/compile'
import { authRoutes, CredentialsSchema, MeResponseSchema, SessionResponseSchema } from '../../shared/auth.ts'

const check = Compile(CredentialsSchema)

describe('CredentialsSchema', () => {
  it('accepts a username and a password', () => {
    const value = { username: 'alice', password: 'correct horse' }
    assert.equal(check.Check(value), true, `errors: ${JSON.stringify(check.Errors(value))}`)
  })

  it('rejects a missing field, a bad field or an unknown extra field', () => {
    const bad = [
      {},
      { username: 'alice' },
      { password: 'correct horse' },
      { username: 'al', password: 'correct horse' },
      { username: 'alice', password: 'short' },
      { username: 'alice', password: 'correct horse', admin: true },
      null,
      'alice:correct horse'
    ]
    for (const value of bad) assert.equal(check.Check(value), false, `expected ${JSON.stringify(value)} to be rejected`)
  })

  it('reports the offending field in its errors', () => {
    const [error] = check.Errors({ username: 'alice', password: 'short' })
    assert.equal(error?.instancePath, '/password', `errors: ${JSON.stringify(check.Errors({ username: 'alice', password: 'short' }))}`)
  })
})

describe('authRoutes', () => {
  it('describes register, login, logout and me with their answers', () => {
    assert.deepEqual(Object.values(authRoutes).map(({ method, url, auth }) => `${method} ${url} ${auth}`), [
      'POST /api/auth/register none',
      'POST /api/auth/login none',
      'POST /api/auth/logout user',
      'GET /api/auth/me user'
    ])
    assert.equal(authRoutes.register.response[201], SessionResponseSchema)
    assert.equal(authRoutes.login.response[200], SessionResponseSchema)
    assert.equal(authRoutes.logout.response[204], null)
    assert.equal(authRoutes.me.response[200], MeResponseSchema)
  })
})
