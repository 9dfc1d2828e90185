import { BellIcon, BellOffIcon } from '../ui/icons.tsx'
import { desktopPermission, desktopWanted, requestDesktopPermission, setDesktopWanted } from './desktop-notifications.ts'
import './notifications.css'

/**
 * The user menu's desktop-notifications entry (with its separator; nothing where the browser has
 * no Notification API). The browser is asked only from a click here, never on load; once it has
 * answered, the entry shows what it said.
 */
export const DesktopNotificationsItem = () => desktopPermission.value === 'unsupported'
  ? null
  : (
    <>
      <Item />
      <div class='menu-separator' role='separator' />
    </>
    )

const Item = () => {
  const permission = desktopPermission.value
  switch (permission) {
    case 'unsupported':
      return null
    case 'default':
      return (
        <button type='button' role='menuitem' class='menu-item desktop-notifications-item' onClick={() => { requestDesktopPermission() }}>
          <BellIcon size={18} />
          Enable desktop notifications
        </button>
      )
    case 'denied':
      return (
        <div role='menuitem' class='menu-item desktop-notifications-item desktop-item' aria-disabled='true' tabIndex={-1}>
          <BellOffIcon size={18} />
          <span class='desktop-item-text'>
            <span>Desktop notifications</span>
            <span class='desktop-item-state'>Blocked by the browser. Allow them in its site settings.</span>
          </span>
        </div>
      )
    case 'granted': {
      const on = desktopWanted.value
      return (
        <button type='button' role='menuitemcheckbox' aria-checked={on} class='menu-item desktop-notifications-item desktop-item' onClick={() => setDesktopWanted(!on)}>
          {on ? <BellIcon size={18} /> : <BellOffIcon size={18} />}
          <span class='desktop-item-text'>
            <span>Desktop notifications</span>
            <span class='desktop-item-state'>{on ? 'Enabled' : 'Off'}</span>
          </span>
          <span class='desktop-switch' data-on={on ? '' : undefined} aria-hidden='true' />
        </button>
      )
    }
  }
}
