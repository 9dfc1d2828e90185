interface UserAvatarProps {
  user: { id: string, username: string }
  size?: 'xs' | 's' | 'm'
  /** Shows a presence dot: true online, false away, undefined none. */
  online?: boolean | undefined
}

// A stable tint per user, so people are recognisable at a glance: one of a few hues far enough
// apart to tell apart (oklch hue angles); the theme picks lightness and chroma.
const HUES = [25, 70, 145, 190, 235, 270, 310, 350]

// By name (not id): the same person has the same tint wherever only their name is known.
const hueOf = (username: string) => {
  let hash = 2166136261
  for (const char of username.toLowerCase()) hash = Math.imul(hash ^ (char.codePointAt(0) ?? 0), 16777619)
  return HUES[(hash >>> 0) % HUES.length] ?? 270
}

const initialOf = (username: string) => ([...username][0] ?? '?').toUpperCase()

/** A round initial in the user's own tint, with an optional online dot. Decorative: the name is beside it. */
export const UserAvatar = ({ user, size = 'm', online }: UserAvatarProps) => (
  <span class='chat-avatar' data-size={size} style={{ '--avatar-hue': String(hueOf(user.username)) }} aria-hidden='true'>
    {initialOf(user.username)}
    {online === undefined ? null : <span class='presence-dot' data-online={online ? '' : undefined} />}
  </span>
)
