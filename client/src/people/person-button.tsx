import type { ComponentChildren } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { openDirect } from '../chat/room-requests.ts'
import { UserAvatar } from '../chat/user-avatar.tsx'
import { ChatIcon, ClockIcon, PencilIcon } from '../ui/icons.tsx'
import { navigate, paths } from '../ui/router.ts'
import { usePopup } from '../ui/use-popup.ts'
import { localTimeIn } from './local-time.ts'
import { peopleDialog, profiles, shownName, statusShown, wantProfiles } from './people-store.ts'
import './people.css'

interface PersonButtonProps {
  user: { id: string, username: string }
  /** The signed-in user's id: their own card offers "Edit profile" instead of "Message". */
  meId: string | undefined
  /** What the button shows (a name, an avatar, both). */
  children: ComponentChildren
  class?: string
  tabIndex?: number
  /** A scrolling ancestor whose edges must not cut the card off (see usePopup). */
  within?: string
}

/** The card of one person: avatar, names, status, local time, and what to do. */
const ProfileCard = ({ user, meId, onDone }: { user: { id: string, username: string }, meId: string | undefined, onDone: () => void }) => {
  const profile = profiles.value.get(user.id)
  const [now, setNow] = useState(Date.now)
  const [error, setError] = useState<string | null>(null)
  // The local time moves on while the card is open.
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000)
    return () => clearInterval(timer)
  }, [])
  const name = shownName(user)
  const localTime = localTimeIn(profile?.timeZone ?? '', now)
  const own = user.id === meId

  const message = async () => {
    const result = await openDirect(user.username)
    if (!result.ok) {
      setError(result.error.message)
      return
    }
    onDone()
    navigate(paths.room(result.data.id))
  }

  return (
    <>
      <div class='profile-card-head'>
        <UserAvatar user={user} size='l' />
        <div class='profile-card-names'>
          <span class='profile-card-name'>{name}</span>
          <span class='profile-card-username'>@{user.username}</span>
        </div>
      </div>
      {statusShown(profile, now) ? <p class='profile-card-status'>{profile!.statusText}</p> : null}
      {localTime
        ? (
          <p class='profile-card-time'>
            <ClockIcon size={14} />
            <span>{localTime} local time</span>
            <span class='profile-card-zone'>{profile!.timeZone.replaceAll('_', ' ')}</span>
          </p>
          )
        : null}
      {error ? <p class='profile-card-error' role='alert'>{error}</p> : null}
      {own
        ? (
          <button type='button' class='button profile-card-action' onClick={() => { onDone(); peopleDialog.value = 'settings' }}>
            <PencilIcon size={16} /> Edit profile
          </button>
          )
        : (
          <button type='button' class='button primary profile-card-action' onClick={() => { message() }}>
            <ChatIcon size={16} /> Message
          </button>
          )}
    </>
  )
}

/**
 * A person's name or avatar as a button that opens their profile card: a small popup that
 * focus moves into, closed by Escape (focus back on the button), Tab or a click elsewhere.
 */
export const PersonButton = ({ user, meId, children, class: className, tabIndex, within }: PersonButtonProps) => {
  const { open, close, rootProps, buttonProps, popupProps } = usePopup({ items: 'button', orientation: 'vertical', within })
  useEffect(() => { wantProfiles([user.id]) }, [user.id])
  return (
    <div class='person' {...rootProps}>
      <button
        {...buttonProps}
        type='button'
        class={className ? `person-button ${className}` : 'person-button'}
        tabIndex={tabIndex}
        aria-haspopup='dialog'
        aria-label={`${shownName(user)} (@${user.username}): profile`}
      >
        {children}
      </button>
      {open
        ? (
          <div {...popupProps} class='profile-card' role='dialog' aria-label={`Profile of ${shownName(user)}`}>
            <ProfileCard user={user} meId={meId} onDone={close} />
          </div>
          )
        : null}
    </div>
  )
}
