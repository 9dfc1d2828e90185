import assert from 'node:assert/strict'

/** JSON over fetch, returning status, body and the Set-Cookie header, for asserting on all three. */
export async function api (base: string, method: string, path: string, { body, token, cookie, headers = {} }: {
  body?: unknown, token?: string, cookie?: string, headers?: Record<string, string>
} = {}) {
  const response = await fetch(base + path, {
    method,
    headers: {
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...(token && { authorization: `Bearer ${token}` }),
      ...(cookie && { cookie }),
      ...headers
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
  })
  const text = await response.text()
  let json: any = null
  try { json = text ? JSON.parse(text) : null } catch { json = text }
  return { status: response.status, body: json, setCookie: response.headers.get('set-cookie'), headers: response.headers }
}

let counter = 0
/** A username unique within this process, valid by the protocol's rules. */
export const uniqueName = (prefix = 'user') => `${prefix}${process.pid % 10000}_${++counter}`

/**
 * Registers a user and returns their token, session cookie and user. `headers` can say where the
 * user comes from (`x-forwarded-for`, to a server that trusts this machine as its proxy).
 */
export async function registerUser (base: string, username = uniqueName(), password = 'correct horse battery', headers: Record<string, string> = {}) {
  const res = await api(base, 'POST', '/api/auth/register', { body: { username, password }, headers })
  if (res.status !== 201) throw new Error(`register ${username} failed: ${res.status} ${JSON.stringify(res.body)}`)
  const cookie = res.setCookie!.split(';')[0]!
  return { user: res.body.user as { id: string, username: string }, token: res.body.token as string, cookie, password }
}

/** Signs of internals that must never reach a caller: stack frames, file paths, SQL. */
export const internals = /\n\s+at |\bat \S+:\d+:\d+|node_modules|file:\/\/|\/(work|home|tmp|usr)\/|\w\.[cm]?[jt]s:\d|SQLITE_|\bSELECT\b.+\bFROM\b|\bINSERT INTO\b|\bstack\b/

/**
 * Asserts an HTTP error answer: the status, the `{error: {code, message}}` shape and nothing else
 * (`rate_limited` adds `retryAfterMs`, and a 429 a matching `Retry-After` header), and a message
 * that leaks no internals.
 */
export function assertHttpError (res: { status: number, body: unknown, headers?: Headers }, status: number, code: string) {
  const seen = `${res.status} ${JSON.stringify(res.body)}`
  assert.equal(res.status, status, `expected status ${status} (${code}), got ${seen}`)
  const body = res.body as { error?: { code?: unknown, message?: unknown, retryAfterMs?: unknown } } | null
  assert.deepEqual(Object.keys(body ?? {}), ['error'], `expected {error} only, got ${seen}`)
  const fields = code === 'rate_limited' ? ['code', 'message', 'retryAfterMs'] : ['code', 'message']
  assert.deepEqual(Object.keys(body!.error ?? {}).sort(), fields, `expected {error: {${fields.join(', ')}}}, got ${seen}`)
  assert.equal(body!.error!.code, code, `expected code ${code}, got ${seen}`)
  assert.equal(typeof body!.error!.message, 'string', `expected a message, got ${seen}`)
  assert.doesNotMatch(body!.error!.message as string, internals, `the message leaks internals: ${seen}`)
  if (status === 429 && res.headers) {
    const retryAfterMs = body!.error!.retryAfterMs
    assert.ok(Number.isInteger(retryAfterMs) && (retryAfterMs as number) > 0, `expected a positive integer retryAfterMs, got ${seen}`)
    const header = res.headers.get('retry-after')
    assert.equal(header, String(Math.ceil((retryAfterMs as number) / 1000)), `expected Retry-After in whole seconds, got ${JSON.stringify(header)} with ${seen}`)
  }
  return body!.error as { code: string, message: string, retryAfterMs?: number }
}
