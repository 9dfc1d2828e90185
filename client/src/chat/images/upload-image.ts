import type { Uploaded } from '../../../../shared/images.ts'
import type { ErrorInfo } from '../../../../shared/protocol.ts'

export type UploadResult = { ok: true, data: Uploaded } | { ok: false, error: ErrorInfo | null }

/**
 * Uploads an image's bytes to a room, reporting progress (0-1) as they go: XMLHttpRequest, since
 * fetch tells nothing of an upload's progress. `signal` cancels it (the result is then
 * `{ ok: false, error: null }`).
 */
export function uploadImage (roomId: string, blob: Blob, onProgress: (fraction: number) => void, signal: AbortSignal): Promise<UploadResult> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', `/api/rooms/${encodeURIComponent(roomId)}/images`)
    xhr.setRequestHeader('content-type', blob.type || 'application/octet-stream')
    xhr.responseType = 'json'
    xhr.upload.onprogress = (event) => { if (event.lengthComputable) onProgress(event.loaded / event.total) }
    xhr.onload = () => {
      const body = xhr.response as { error?: ErrorInfo } | Uploaded | null
      if (xhr.status === 201 && body && 'imageId' in body) resolve({ ok: true, data: body })
      else resolve({ ok: false, error: (body && 'error' in body && body.error) || { code: 'internal', message: `The upload failed (${xhr.status}).` } })
    }
    xhr.onerror = () => resolve({ ok: false, error: { code: 'unavailable', message: 'The upload did not get through. Check the connection and try again.' } })
    xhr.onabort = () => resolve({ ok: false, error: null })
    signal.addEventListener('abort', () => xhr.abort(), { once: true })
    xhr.send(blob)
  })
}
