import type { RoomLevel } from '../../../shared/notifications.ts'
import { BellIcon, BellOffIcon } from '../ui/icons.tsx'
import { usePopup } from '../ui/use-popup.ts'
import { setRoomNotifications } from './notifications-socket.ts'
import { isRoomMuted, roomPreference } from './room-notifications.ts'
import { describeUntil, untilOptions } from './until-options.ts'
import './notifications.css'

const LEVELS: [RoomLevel, string, string][] = [
  ['all', 'All messages', 'Every new message'],
  ['mentions', 'Mentions only', 'When someone @mentions you'],
  ['nothing', 'Nothing', 'No notifications from this room']
]

/** The room header's bell: what this room notifies, and mute it for a while. Saved to the account. */
export const RoomNotificationsMenu = ({ roomId, direct }: { roomId: string, direct: boolean }) => {
  const { open, rootProps, buttonProps, popupProps, close } = usePopup({ items: '[role="menuitemradio"], [role="menuitem"]', orientation: 'vertical' })
  const preference = roomPreference(roomId)
  const now = Date.now()
  const muted = isRoomMuted(roomId, now)
  const level = preference?.level ?? (direct ? 'all' : 'mentions')
  const choose = (change: Parameters<typeof setRoomNotifications>[1]) => {
    setRoomNotifications(roomId, change)
    close()
  }
  return (
    <div class='room-notif-menu' {...rootProps}>
      <button
        {...buttonProps}
        type='button'
        class='button small ghost room-notif-button'
        aria-haspopup='menu'
        aria-label={muted ? 'Notifications: muted' : `Notifications: ${LEVELS.find(([value]) => value === level)?.[1]}`}
        title='Notifications'
        data-muted={muted ? '' : undefined}
      >
        {muted || level === 'nothing' ? <BellOffIcon size={16} /> : <BellIcon size={16} />}
      </button>
      {open
        ? (
          <div {...popupProps} class='menu room-notif-popup' role='menu' aria-label='Room notifications'>
            <div class='menu-header' role='presentation'><span class='menu-caption'>Notify me about</span></div>
            {LEVELS.map(([value, label, hint]) => (
              <button key={value} type='button' role='menuitemradio' aria-checked={level === value} class='menu-item room-notif-item' onClick={() => choose({ level: value })}>
                <span class='room-notif-check' aria-hidden='true'>{level === value ? '✓' : ''}</span>
                <span class='desktop-item-text'><span>{label}</span><span class='desktop-item-state'>{hint}</span></span>
              </button>
            ))}
            <div class='menu-separator' role='separator' />
            {muted
              ? (
                <button type='button' role='menuitem' class='menu-item' onClick={() => choose({ mutedUntil: null })}>
                  <BellIcon size={18} />
                  <span class='desktop-item-text'><span>Unmute</span><span class='desktop-item-state'>Muted {describeUntil(preference!.mutedUntil!, now) || 'until you unmute'}</span></span>
                </button>
                )
              : untilOptions(now).map((option) => (
                <button key={option.key} type='button' role='menuitem' class='menu-item' onClick={() => choose({ mutedUntil: option.until })}>
                  <BellOffIcon size={18} />
                  Mute {option.label.charAt(0).toLowerCase() + option.label.slice(1)}
                </button>
              ))}
          </div>
          )
        : null}
    </div>
  )
}
