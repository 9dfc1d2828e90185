import type { RefObject } from 'preact'
import { useEffect } from 'preact/hooks'

/** While `active`, a pointer pressed anywhere outside `rootRef` calls `onOutside` (a menu closes). */
export const useClickOutside = (rootRef: RefObject<HTMLElement>, active: boolean, onOutside: () => void) => {
  useEffect(() => {
    if (!active) return
    const onPointerDown = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) onOutside()
    }
    document.addEventListener('pointerdown', onPointerDown)
    return () => document.removeEventListener('pointerdown', onPointerDown)
  }, [active])
}
