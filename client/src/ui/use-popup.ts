import { useId, useLayoutEffect, useRef, useState } from 'preact/hooks'
import { useClickOutside } from './use-click-outside.ts'

export interface PopupOptions {
  /** The popup's items, for focus and arrow keys. */
  items: string
  /** Which arrow keys move between the items (Home and End always do). */
  orientation: 'vertical' | 'horizontal'
  /** A scrolling ancestor whose edges must not cut the popup: it opens the other way (`data-placement`). */
  within?: string
}

/**
 * A button that opens a small popup (a menu, a picker), as every one of ours behaves: on opening,
 * focus moves to its first item before the next key press; a click elsewhere or Tab closes it,
 * Escape closes it and gives focus back to the button; arrow keys go round the items.
 * Spread `rootProps` on the element around both, `buttonProps` on the button, `popupProps` on the popup.
 */
export function usePopup ({ items, orientation, within }: PopupOptions) {
  const [open, setOpen] = useState(false)
  const rootRef = useRef<HTMLDivElement>(null)
  const buttonRef = useRef<HTMLButtonElement>(null)
  const popupRef = useRef<HTMLDivElement>(null)
  const popupId = useId()
  const itemsOf = () => [...(popupRef.current?.querySelectorAll<HTMLElement>(items) ?? [])]

  useLayoutEffect(() => {
    if (!open) return
    const popup = popupRef.current
    const edge = within ? popup?.closest(within)?.getBoundingClientRect() : undefined
    if (popup && edge) {
      const box = popup.getBoundingClientRect()
      if (box.bottom > edge.bottom - 4) popup.dataset.placement = 'up'
      else if (box.top < edge.top + 4) popup.dataset.placement = 'down'
    }
    itemsOf()[0]?.focus()
  }, [open])
  useClickOutside(rootRef, open, () => setOpen(false))

  const close = () => {
    setOpen(false)
    buttonRef.current?.focus()
  }
  const [back, forward] = orientation === 'vertical' ? ['ArrowUp', 'ArrowDown'] : ['ArrowLeft', 'ArrowRight']
  const onKeyDown = (event: KeyboardEvent) => {
    if (!open) return
    if (event.key === 'Escape') {
      event.preventDefault()
      event.stopPropagation()
      close()
    } else if (event.key === 'Tab') {
      setOpen(false)
    } else if (event.key === back || event.key === forward || event.key === 'Home' || event.key === 'End') {
      event.preventDefault()
      const list = itemsOf()
      const index = list.indexOf(document.activeElement as HTMLElement)
      const next = event.key === 'Home' ? 0 : event.key === 'End' ? list.length - 1 : (index + (event.key === forward ? 1 : -1) + list.length) % list.length
      list[next]?.focus()
    }
  }
  return {
    open,
    setOpen,
    /** Closes and gives focus back to the button. */
    close,
    buttonRef,
    rootProps: { ref: rootRef, onKeyDown, 'data-open': open ? '' : undefined },
    buttonProps: { ref: buttonRef, 'aria-expanded': open, 'aria-controls': open ? popupId : undefined, onClick: () => setOpen(!open) },
    popupProps: { ref: popupRef, id: popupId }
  }
}
