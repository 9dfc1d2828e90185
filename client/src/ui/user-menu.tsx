import { useEffect, useId, useRef, useState } from 'preact/hooks'
import type { User } from '../../../shared/auth.ts'
import { signOut } from '../auth/auth-store.ts'
import { DesktopNotificationsItem } from '../notifications/desktop-notifications-item.tsx'
import { ChevronDownIcon, SignOutIcon } from './icons.tsx'
import { useClickOutside } from './use-click-outside.ts'

const initialOf = (username: string) => ([...username][0] ?? '?').toUpperCase()

const menuItems = (menu: HTMLElement | null) =>
  [...(menu?.querySelectorAll<HTMLElement>('[role="menuitem"], [role="menuitemcheckbox"]') ?? [])]

/** The username button and its small menu (desktop notifications, Sign out). Escape or a click elsewhere closes it. */
export const UserMenu = ({ user }: { user: User }) => {
  const [open, setOpen] = useState(false)
  const [signingOut, setSigningOut] = useState(false)
  const rootRef = useRef<HTMLDivElement>(null)
  const buttonRef = useRef<HTMLButtonElement>(null)
  const menuRef = useRef<HTMLDivElement>(null)
  const menuId = useId()

  useEffect(() => {
    if (open) menuItems(menuRef.current)[0]?.focus()
  }, [open])
  useClickOutside(rootRef, open, () => setOpen(false))

  const close = () => {
    setOpen(false)
    buttonRef.current?.focus()
  }

  const onKeyDown = (event: KeyboardEvent) => {
    if (!open) return
    if (event.key === 'Escape') {
      event.preventDefault()
      close()
    } else if (event.key === 'Tab') {
      setOpen(false)
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp' || event.key === 'Home' || event.key === 'End') {
      event.preventDefault()
      const items = menuItems(menuRef.current)
      const index = items.indexOf(document.activeElement as HTMLElement)
      const next = event.key === 'Home'
        ? 0
        : event.key === 'End'
          ? items.length - 1
          : (index + (event.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length
      items[next]?.focus()
    }
  }

  const onSignOut = async () => {
    if (signingOut) return
    setSigningOut(true)
    await signOut()
  }

  return (
    <div class='user-menu' ref={rootRef} onKeyDown={onKeyDown}>
      <button
        ref={buttonRef}
        type='button'
        class='user-menu-button'
        aria-haspopup='menu'
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen(!open)}
      >
        <span class='avatar' aria-hidden='true'>{initialOf(user.username)}</span>
        <span class='user-menu-name'>{user.username}</span>
        <ChevronDownIcon size={16} class='user-menu-chevron' />
      </button>
      {open
        ? (
          <div class='menu' id={menuId} role='menu' aria-label='Account' ref={menuRef}>
            <div class='menu-header' role='presentation'>
              <span class='menu-caption'>Signed in as</span>
              <span class='menu-username'>{user.username}</span>
            </div>
            <div class='menu-separator' role='separator' />
            <DesktopNotificationsItem />
            <button type='button' role='menuitem' class='menu-item' aria-disabled={signingOut} onClick={onSignOut}>
              <SignOutIcon size={18} />
              {signingOut ? 'Signing out…' : 'Sign out'}
            </button>
          </div>
          )
        : null}
    </div>
  )
}
