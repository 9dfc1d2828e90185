/**
 * The generated avatar of a user: two hues and an angle drawn from the user's id (so two people
 * with the same initials still look apart, and a rename keeps the colours), and up to two
 * initials from the name shown. Nothing is fetched: the same id gives the same look everywhere.
 */
export interface AvatarLook {
  /** oklch hue angles of the gradient's two ends. */
  hue: number
  hue2: number
  /** The gradient's direction, in degrees. */
  angle: number
  initials: string
}

/** FNV-1a over the code points: small, and stable across browsers. */
const hash = (text: string, seed = 2166136261) => {
  let h = seed
  for (const char of text) h = Math.imul(h ^ (char.codePointAt(0) ?? 0), 16777619)
  return h >>> 0
}

/** Up to two initials: the first letters of the first two words, else of the one word. */
export const initialsOf = (name: string) => {
  const words = name.trim().split(/[\s._-]+/u).filter((word) => /[\p{L}\p{N}]/u.test(word))
  const firsts = words.slice(0, 2).map((word) => [...word].find((char) => /[\p{L}\p{N}]/u.test(char)) ?? '')
  return (firsts.join('') || [...name.trim()][0] || '?').toLocaleUpperCase()
}

export const avatarLook = (userId: string, name: string): AvatarLook => {
  const a = hash(userId)
  const b = hash(userId, a)
  const hue = a % 360
  // The second hue 40-140 degrees round from the first: a visible gradient, never muddy.
  return { hue, hue2: (hue + 40 + (b % 101)) % 360, angle: (b >>> 8) % 360, initials: initialsOf(name) }
}
