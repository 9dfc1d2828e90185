import { ErrorStatus, type ErrorCode, type ErrorInfo } from '../../../shared/protocol.ts'

export type HttpResult<T> =
  | { ok: true, status: number, data: T }
  | { ok: false, status: number, error: ErrorInfo, retryAfterSeconds: number | null }

const codeForStatus = (status: number): ErrorCode => {
  const match = Object.entries(ErrorStatus).find(([, value]) => value === status)
  if (match) return match[0] as ErrorCode
  return status >= 500 ? 'internal' : 'invalid_payload'
}

const isErrorBody = (body: unknown): body is { error: ErrorInfo } => {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false
  const error = body.error
  return typeof error === 'object' && error !== null &&
    'code' in error && typeof error.code === 'string' &&
    'message' in error && typeof error.message === 'string'
}

const readBody = async (response: Response): Promise<unknown> => {
  if (response.status === 204) return undefined
  const type = response.headers.get('content-type') ?? ''
  if (!type.includes('json')) return undefined
  try {
    return await response.json()
  } catch {
    return undefined
  }
}

/**
 * A same-origin JSON call that never throws: network failures and error answers both come back
 * as `{ ok: false, error }` so views can show them without try/catch. The data is trusted as `T`
 * because the server validates its own responses against the shared schemas.
 */
export const fetchJson = async <T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown): Promise<HttpResult<T>> => {
  let response: Response
  try {
    response = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: body === undefined
        ? { accept: 'application/json' }
        : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
  } catch {
    return {
      ok: false,
      status: 0,
      error: { code: 'unavailable', message: 'The server could not be reached.' },
      retryAfterSeconds: null
    }
  }
  const parsed = await readBody(response)
  if (response.ok) return { ok: true, status: response.status, data: parsed as T }
  const retryAfter = Number(response.headers.get('retry-after'))
  return {
    ok: false,
    status: response.status,
    error: isErrorBody(parsed)
      ? parsed.error
      : { code: codeForStatus(response.status), message: response.statusText || `HTTP ${response.status}` },
    retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null
  }
}
