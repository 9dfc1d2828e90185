import type { User } from '../../../shared/auth.ts'

/** Who is typing in a room, each until a time: a "stopped" that never comes (a closed laptop) expires. */
export type Typers = ReadonlyMap<string, { user: User, until: number }>

/** The server relays a refresh every couple of seconds while someone types; past this, they stopped. */
export const TYPING_TTL_MS = 6000
/** How often this tab tells the room it is still typing. */
export const TYPING_REFRESH_MS = 2000

export const noTypers: Typers = new Map()

export const setTyper = (typers: Typers, user: User, typing: boolean, now: number, ttlMs = TYPING_TTL_MS): Typers => {
  if (!typing && !typers.has(user.id)) return typers
  const next = new Map(typers)
  if (typing) next.set(user.id, { user, until: now + ttlMs })
  else next.delete(user.id)
  return next
}

/** Drops those whose time ran out; `nextExpiry` is when to look again (null: nobody left). */
export const pruneTypers = (typers: Typers, now: number): { typers: Typers, nextExpiry: number | null } => {
  let next: Map<string, { user: User, until: number }> | null = null
  let nextExpiry: number | null = null
  for (const [id, entry] of typers) {
    if (entry.until <= now) {
      next ??= new Map(typers)
      next.delete(id)
    } else {
      nextExpiry = nextExpiry === null ? entry.until : Math.min(nextExpiry, entry.until)
    }
  }
  return { typers: next ?? typers, nextExpiry }
}

/** "alice is typing…", "alice and bob are typing…", "alice, bob and carol are typing…", "Several people are typing…". */
export const describeTypers = (names: readonly string[]): string => {
  const sorted = [...names].sort((a, b) => a.localeCompare(b))
  switch (sorted.length) {
    case 0: return ''
    case 1: return `${sorted[0]} is typing…`
    case 2: return `${sorted[0]} and ${sorted[1]} are typing…`
    case 3: return `${sorted[0]}, ${sorted[1]} and ${sorted[2]} are typing…`
    default: return 'Several people are typing…'
  }
}

/**
 * Decides what this tab says about its own typing: "typing" at most every `refreshMs` while the
 * text changes, "stopped" once when the text empties, is sent, or the field loses focus.
 */
export const createTypingSender = (send: (typing: boolean) => void, now: () => number, refreshMs = TYPING_REFRESH_MS) => {
  let lastSentAt: number | null = null
  return {
    /** The text changed; `hasText` says whether anything but white space is left. */
    input (hasText: boolean) {
      if (!hasText) return this.stop()
      const at = now()
      if (lastSentAt !== null && at - lastSentAt < refreshMs) return
      lastSentAt = at
      send(true)
    },
    stop () {
      if (lastSentAt === null) return
      lastSentAt = null
      send(false)
    }
  }
}
