import { useState } from 'preact/hooks'
import type { User } from '../../../shared/auth.ts'
import { signOut } from '../auth/auth-store.ts'
import { UserAvatar } from '../chat/user-avatar.tsx'
import { DesktopNotificationsItem } from '../notifications/desktop-notifications-item.tsx'
import { peopleDialog, shownName } from '../people/people-store.ts'
import { ChevronDownIcon, PencilIcon, SignOutIcon, UsersIcon } from './icons.tsx'
import { usePopup } from './use-popup.ts'

/** The username button and its small menu (desktop notifications, Sign out). Escape or a click elsewhere closes it. */
export const UserMenu = ({ user }: { user: User }) => {
  const { open, setOpen, rootProps, buttonProps, popupProps } = usePopup({ items: '[role="menuitem"], [role="menuitemcheckbox"]', orientation: 'vertical' })
  const [signingOut, setSigningOut] = useState(false)

  const onSignOut = async () => {
    if (signingOut) return
    setSigningOut(true)
    await signOut()
  }

  return (
    <div class='user-menu' {...rootProps}>
      <button {...buttonProps} type='button' class='user-menu-button' aria-haspopup='menu'>
        <UserAvatar user={user} size='s' />
        <span class='user-menu-name'>{shownName(user)}</span>
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
            <button type='button' role='menuitem' class='menu-item' onClick={() => { setOpen(false); peopleDialog.value = 'settings' }}>
              <PencilIcon size={18} />
              Edit profile
            </button>
            <button type='button' role='menuitem' class='menu-item' onClick={() => { setOpen(false); peopleDialog.value = 'directory' }}>
              <UsersIcon size={18} />
              People
            </button>
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
