import type { ComponentChildren } from 'preact'
import { useEffect, useId, useRef } from 'preact/hooks'
import { AlertIcon, CloseIcon } from '../ui/icons.tsx'

interface ChatDialogProps {
  title: string
  description?: ComponentChildren
  onClose: () => void
  children: ComponentChildren
  /** Narrow dialogs for confirmations; large for search. */
  size?: 's' | 'm' | 'l'
  /** Where focus goes on closing when what opened the dialog is gone (a menu item). */
  returnFocusTo?: () => HTMLElement | null
}

/** The message field of the open room: where a chat user's hands usually are. */
export const focusComposer = () => document.querySelector<HTMLElement>('.composer-input')?.focus()

/**
 * A modal built on <dialog>: the browser traps focus, Escape closes it and the page behind is
 * inert. Focus goes back to what opened it when it closes.
 */
export const ChatDialog = ({ title, description, onClose, children, size = 'm', returnFocusTo }: ChatDialogProps) => {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  const descriptionId = useId()
  const onCloseRef = useRef(onClose)
  onCloseRef.current = onClose
  const returnFocusRef = useRef(returnFocusTo)
  returnFocusRef.current = returnFocusTo

  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
    dialog.showModal()
    // The first field (or a marked button) rather than the Close button the browser would pick.
    dialog.querySelector<HTMLElement>('[data-autofocus], input:not([type="hidden"]):not([type="radio"]), textarea')?.focus()
    const onCancel = (event: Event) => {
      event.preventDefault()
      onCloseRef.current()
    }
    dialog.addEventListener('cancel', onCancel)
    return () => {
      dialog.removeEventListener('cancel', onCancel)
      if (dialog.open) dialog.close()
      // After the dialog's own DOM is gone, so focus lands on something that stays.
      setTimeout(() => {
        if (opener?.isConnected && opener !== document.body) opener.focus()
        else if (returnFocusRef.current?.()?.isConnected) returnFocusRef.current()?.focus()
        else focusComposer()
      })
    }
  }, [])

  // A press that starts and ends on the backdrop (outside the panel) closes the dialog.
  const onPointerDown = (event: PointerEvent) => {
    if (event.target === ref.current) onCloseRef.current()
  }

  return (
    <dialog
      ref={ref}
      class='chat-dialog'
      data-size={size}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onPointerDown={onPointerDown}
    >
      <div class='chat-dialog-panel'>
        <header class='chat-dialog-header'>
          <h2 class='chat-dialog-title' id={titleId}>{title}</h2>
          <button type='button' class='chat-icon-button' aria-label='Close' onClick={() => onCloseRef.current()}>
            <CloseIcon size={18} />
          </button>
        </header>
        {description ? <p class='chat-dialog-description' id={descriptionId}>{description}</p> : null}
        {children}
      </div>
    </dialog>
  )
}

interface DialogFormEndProps {
  /** A problem with the whole form (from the server), shown above the buttons. */
  error: string | null
  busy: boolean
  submitLabel: string
  busyLabel: string
  onCancel: () => void
}

/** The end of every chat dialog form: its error, Cancel, and a submit button that shows progress. */
export const DialogFormEnd = ({ error, busy, submitLabel, busyLabel, onCancel }: DialogFormEndProps) => (
  <>
    {error
      ? (
        <p class='banner banner-error' role='alert'>
          <AlertIcon size={18} />
          <span>{error}</span>
        </p>
        )
      : null}
    <div class='chat-form-actions'>
      <button type='button' class='button' onClick={onCancel}>Cancel</button>
      <button type='submit' class='button primary' aria-disabled={busy}>
        {busy ? <span class='spinner' aria-hidden='true' /> : null}
        {busy ? busyLabel : submitLabel}
      </button>
    </div>
  </>
)
