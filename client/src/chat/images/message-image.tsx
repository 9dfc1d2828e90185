import { useState } from 'preact/hooks'
import { imageUrl, type Image } from '../../../../shared/images.ts'
import { ChatDialog } from '../chat-dialog.tsx'

/** The largest preview in a message, in CSS pixels (the image keeps its shape within it). */
const PREVIEW_MAX = { width: 360, height: 280 }

const previewSize = ({ width, height }: Image) => {
  const scale = Math.min(1, PREVIEW_MAX.width / width, PREVIEW_MAX.height / height)
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) }
}

/**
 * An image in a message: a preview sized before it loads (no jump in the list), which opens the
 * viewer, a dialog with the whole image (Escape or Close closes it).
 */
export const MessageImage = ({ image, author, tabIndex }: { image: Image, author: string, tabIndex: number | undefined }) => {
  const [open, setOpen] = useState(false)
  const [failed, setFailed] = useState(false)
  const size = previewSize(image)
  const alt = `Image from ${author}`
  if (failed) return <p class='message-image-missing'>The image could not be shown.</p>
  return (
    <>
      <button type='button' class='message-image' tabIndex={tabIndex} aria-label={`${alt}: open the viewer`} onClick={() => setOpen(true)}>
        <img src={imageUrl(image.id)} width={size.width} height={size.height} alt={alt} loading='lazy' decoding='async' onError={() => setFailed(true)} />
      </button>
      {open
        ? (
          <ChatDialog title={alt} onClose={() => setOpen(false)} size='l'>
            <div class='image-viewer'>
              <img class='image-viewer-img' src={imageUrl(image.id)} width={image.width} height={image.height} alt={alt} />
            </div>
            <p class='image-viewer-meta'>
              {image.width} × {image.height} · {Math.max(1, Math.round(image.size / 1024))} KiB ·{' '}
              <a href={imageUrl(image.id)} target='_blank' rel='noopener noreferrer'>Open in a new tab</a>
            </p>
          </ChatDialog>
          )
        : null}
    </>
  )
}
