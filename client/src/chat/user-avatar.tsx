import { useEffect } from 'preact/hooks'
import { avatarLook } from '../people/avatar-look.ts'
import { shownName, wantProfiles } from '../people/people-store.ts'

interface UserAvatarProps {
  user: { id: string, username: string }
  size?: 'xs' | 's' | 'm' | 'l'
  /** Shows a presence dot: true online, false away, undefined none. */
  online?: boolean | undefined
  /** The name the initials come from, when not the one shown now (a preview of a new display name). */
  name?: string
}

/**
 * The user's generated avatar: a gradient whose two hues and angle come from the user's id (so
 * everyone differs, and keeps their look through a rename), with the initials of the name shown,
 * and an optional online dot. Decorative: the name is beside it.
 */
export const UserAvatar = ({ user, size = 'm', online, name }: UserAvatarProps) => {
  // Every person on screen has an avatar: this is where their profile is asked for (in batches).
  useEffect(() => { wantProfiles([user.id]) }, [user.id])
  const look = avatarLook(user.id, name ?? shownName(user))
  return (
    <span
      class='chat-avatar'
      data-size={size}
      style={{ '--avatar-hue': String(look.hue), '--avatar-hue2': String(look.hue2), '--avatar-angle': `${look.angle}deg` }}
      aria-hidden='true'
    >
      {look.initials}
      {online === undefined ? null : <span class='presence-dot' data-online={online ? '' : undefined} />}
    </span>
  )
}
