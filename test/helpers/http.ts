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
  let json: any = null // eslint-disable-line @typescript-eslint/no-explicit-any
  try { json = text ? JSON.parse(text) : null } catch { json = text }
  return { status: response.status, body: json, setCookie: response.headers.get('set-cookie'), headers: response.headers }
}

let counter = 0
/** A username unique within this process, valid by the protocol's rules. */
export const uniqueName = (prefix = 'user') => `${prefix}${process.pid % 10000}_${++counter}`

/** Registers a user and returns their token, session cookie and user. */
export async function registerUser (base: string, username = uniqueName(), password = 'correct horse battery') {
  const res = await api(base, 'POST', '/api/auth/register', { body: { username, password } })
  if (res.status !== 201) throw new Error(`register ${username} failed: ${res.status} ${JSON.stringify(res.body)}`)
  const cookie = res.setCookie!.split(';')[0]!
  return { user: res.body.user as { id: string, username: string }, token: res.body.token as string, cookie, password }
}
