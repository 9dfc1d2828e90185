import { useEffect, useState } from 'preact/hooks'
import { avatarUrl } from '../../../shared/images.ts'
import { avatarLook } from '../people/avatar-look.ts'
import { profiles, shownName, wantProfiles } from '../people/people-store.ts'

interface UserAvatarProps {
  user: { id: string, username: string }
  size?: 'xs' | 's' | 'm' | 'l'
  /** Shows a presence dot: true online, false away, undefined none. */
  online?: boolean | undefined
  /** The name the initials come from, when not the one shown now (a preview of a new display name). */
  name?: string
  /** A picture to show instead of the user's own (a preview of a new avatar being uploaded); null: the generated one. */
  picture?: string | null | undefined
}

/**
 * The user's avatar: the picture they uploaded, or else the generated one, a gradient whose two
 * hues and angle come from the user's id (so everyone differs, and keeps their look through a
 * rename) with the initials of the name shown; and an optional online dot. Decorative: the name
 * is beside it. The gradient stays behind a picture, so a picture still loading (or one that
 * fails to) shows the generated look.
 */
export const UserAvatar = ({ user, size = 'm', online, name, picture }: UserAvatarProps) => {
  // Every person on screen has an avatar: this is where their profile is asked for (in batches).
  useEffect(() => { wantProfiles([user.id]) }, [user.id])
  const [failed, setFailed] = useState<string | null>(null)
  const look = avatarLook(user.id, name ?? shownName(user))
  const avatarId = profiles.value.get(user.id)?.avatarId
  const src = picture === undefined ? (avatarId === undefined ? null : avatarUrl(avatarId)) : picture
  const shown = src !== null && src !== failed ? src : undefined
  return (
    <span
      class='chat-avatar'
      data-size={size}
      data-picture={shown === undefined ? undefined : ''}
      style={{ '--avatar-hue': String(look.hue), '--avatar-hue2': String(look.hue2), '--avatar-angle': `${look.angle}deg` }}
      aria-hidden='true'
    >
      {shown === undefined
        ? look.initials
        : <img class='chat-avatar-picture' src={shown} alt='' decoding='async' draggable={false} onError={() => setFailed(shown)} />}
      {online === undefined ? null : <span class='presence-dot' data-online={online ? '' : undefined} />}
    </span>
  )
}
