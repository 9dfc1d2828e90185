import { useState } from 'preact/hooks'
import type { User } from '../../../shared/auth.ts'
import { signOut } from '../auth/auth-store.ts'
import { DesktopNotificationsItem } from '../notifications/desktop-notifications-item.tsx'
import { ChevronDownIcon, SignOutIcon } from './icons.tsx'
import { usePopup } from './use-popup.ts'

const initialOf = (username: string) => ([...username][0] ?? '?').toUpperCase()

/** The username button and its small menu (desktop notifications, Sign out). Escape or a click elsewhere closes it. */
export const UserMenu = ({ user }: { user: User }) => {
  const { open, rootProps, buttonProps, popupProps } = usePopup({ items: '[role="menuitem"], [role="menuitemcheckbox"]', orientation: 'vertical' })
  const [signingOut, setSigningOut] = useState(false)

  const onSignOut = async () => {
    if (signingOut) return
    setSigningOut(true)
    await signOut()
  }

  return (
    <div class='user-menu' {...rootProps}>
      <button {...buttonProps} type='button' class='user-menu-button' aria-haspopup='menu'>
        <span class='avatar' aria-hidden='true'>{initialOf(user.username)}</span>
        <span class='user-menu-name'>{user.username}</span>
        <ChevronDownIcon size={16} class='user-menu-chevron' />
      </button>
      {open
        ? (
          <div {...popupProps} class='menu' role='menu' aria-label='Account'>
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
