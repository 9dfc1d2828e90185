import { useEffect, useRef, useState } from 'preact/hooks'
import { CloseIcon } from '../../ui/icons.tsx'
import { prepareImage } from './prepare-image.ts'
import { uploadImage } from './upload-image.ts'

/** The image going with the next message: uploading (with a progress bar and Cancel), ready, or refused. */
export type Attachment =
  | { state: 'uploading', name: string, progress: number, previewUrl: string }
  | { state: 'ready', name: string, imageId: string, previewUrl: string }
  | { state: 'failed', name: string, message: string }

/**
 * The composer's image: a file picked, pasted or dropped is prepared (scaled down when large)
 * and uploaded at once, so that Send only has to name it. One image per message; a new one
 * replaces it, Cancel stops the upload.
 */
export function useImageAttachment (roomId: string) {
  const [attachment, setAttachment] = useState<Attachment | null>(null)
  const abort = useRef<AbortController | null>(null)

  const clear = () => {
    abort.current?.abort()
    abort.current = null
    setAttachment((current) => {
      if (current && current.state !== 'failed') URL.revokeObjectURL(current.previewUrl)
      return null
    })
  }
  // Another room, another message: what was attached here is not sent there.
  useEffect(() => clear, [roomId])

  const attach = async (file: File) => {
    clear()
    const name = file.name || 'pasted image'
    const prepared = await prepareImage(file)
    if (!prepared.ok) {
      setAttachment({ state: 'failed', name, message: prepared.reason })
      return
    }
    const controller = new AbortController()
    abort.current = controller
    const previewUrl = URL.createObjectURL(prepared.blob)
    setAttachment({ state: 'uploading', name, progress: 0, previewUrl })
    const result = await uploadImage(roomId, prepared.blob, (progress) => {
      if (abort.current === controller) setAttachment({ state: 'uploading', name, progress, previewUrl })
    }, controller.signal)
    if (abort.current !== controller) return
    abort.current = null
    if (result.ok) {
      setAttachment({ state: 'ready', name, imageId: result.data.imageId, previewUrl })
    } else {
      URL.revokeObjectURL(previewUrl)
      setAttachment(result.error ? { state: 'failed', name, message: result.error.message } : null)
    }
  }

  /** The first image among a paste's or a drop's files; true when there was one. */
  const attachFirst = (files: FileList | null | undefined) => {
    const file = [...(files ?? [])].find((f) => f.type.startsWith('image/'))
    if (!file) return false
    attach(file)
    return true
  }

  /** After sending: the message names the image now. */
  const sent = () => {
    abort.current = null
    clear()
  }

  return { attachment, attach, attachFirst, clear, sent }
}

/** What is attached, above the field: a thumbnail, the upload's progress with Cancel, or why it was refused. */
export const AttachmentPreview = ({ attachment, onRemove }: { attachment: Attachment, onRemove: () => void }) => (
  <div class='composer-attachment' data-state={attachment.state} role={attachment.state === 'failed' ? 'alert' : undefined}>
    {attachment.state !== 'failed' ? <img class='composer-attachment-thumb' src={attachment.previewUrl} alt='' /> : null}
    <div class='composer-attachment-info'>
      <span class='composer-attachment-name'>{attachment.name}</span>
      {attachment.state === 'uploading'
        ? <progress class='composer-attachment-progress' max={1} value={attachment.progress} aria-label={`Uploading ${attachment.name}`} />
        : attachment.state === 'failed'
          ? <span class='composer-attachment-error'>{attachment.message}</span>
          : <span class='composer-attachment-ready'>Ready to send</span>}
    </div>
    <button type='button' class='chat-icon-button' onClick={onRemove} aria-label={attachment.state === 'uploading' ? 'Cancel upload' : 'Remove image'} title={attachment.state === 'uploading' ? 'Cancel upload' : 'Remove image'}>
      <CloseIcon size={16} />
    </button>
  </div>
)
