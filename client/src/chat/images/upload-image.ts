import type { Uploaded } from '../../../../shared/images.ts'
import type { Profile } from '../../../../shared/people.ts'
import type { ErrorInfo } from '../../../../shared/protocol.ts'

export type UploadResult<T> = { ok: true, data: T } | { ok: false, error: ErrorInfo | null }

/**
 * Sends a blob's bytes, reporting progress (0-1) as they go: XMLHttpRequest, since fetch tells
 * nothing of an upload's progress. `signal` cancels it (the result is then `{ ok: false, error: null }`).
 */
function uploadBytes<T> (method: 'POST' | 'PUT', url: string, blob: Blob, accept: (status: number, body: unknown) => body is T, onProgress: (fraction: number) => void, signal: AbortSignal): Promise<UploadResult<T>> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest()
    xhr.open(method, url)
    xhr.setRequestHeader('content-type', blob.type || 'application/octet-stream')
    xhr.responseType = 'json'
    xhr.upload.onprogress = (event) => { if (event.lengthComputable) onProgress(event.loaded / event.total) }
    xhr.onload = () => {
      const body = xhr.response as unknown
      if (accept(xhr.status, body)) resolve({ ok: true, data: body })
      else {
        const error = body !== null && typeof body === 'object' && 'error' in body ? body.error as ErrorInfo : null
        resolve({ ok: false, error: error ?? { code: 'internal', message: `The upload failed (${xhr.status}).` } })
      }
    }
    xhr.onerror = () => resolve({ ok: false, error: { code: 'unavailable', message: 'The upload did not get through. Check the connection and try again.' } })
    xhr.onabort = () => resolve({ ok: false, error: null })
    signal.addEventListener('abort', () => xhr.abort(), { once: true })
    xhr.send(blob)
  })
}

/** Uploads an image's bytes to a room, to be sent in a message there. */
export const uploadImage = (roomId: string, blob: Blob, onProgress: (fraction: number) => void, signal: AbortSignal) =>
  uploadBytes('POST', `/api/rooms/${encodeURIComponent(roomId)}/images`, blob,
    (status, body): body is Uploaded => status === 201 && body !== null && typeof body === 'object' && 'imageId' in body, onProgress, signal)

/** Uploads a prepared avatar: the answer is the profile that names it. */
export const uploadAvatar = (blob: Blob, onProgress: (fraction: number) => void, signal: AbortSignal) =>
  uploadBytes('PUT', '/api/profile/avatar', blob,
    (status, body): body is { profile: Profile } => status === 200 && body !== null && typeof body === 'object' && 'profile' in body, onProgress, signal)
