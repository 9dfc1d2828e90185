import { signal } from '@preact/signals'
import { PROFILES_PER_LOOKUP, type Profile, type ProfileUpdate } from '../../../shared/people.ts'
import type { AckResult } from '../../../shared/protocol.ts'
import { uploadAvatar } from '../chat/images/upload-image.ts'
import { fetchJson } from '../http/fetch-json.ts'
import { createStaleGuard } from '../realtime/stale-guard.ts'

/**
 * Profiles by user id, as far as this tab knows them: looked up in batches for the people on
 * screen (`wantProfiles`), kept current by the `people:profile` push (`applyProfile`).
 */
export const profiles = signal<ReadonlyMap<string, Profile>>(new Map())

/** The people dialog and the profile settings dialog (one at a time). */
export const peopleDialog = signal<'directory' | 'settings' | null>(null)

const sessionAnswers = createStaleGuard()
const asked = new Set<string>()
let queued: string[] = []
let flushing = false

const store = (list: readonly Profile[]) => {
  if (list.length === 0) return
  const next = new Map(profiles.peek())
  for (const profile of list) next.set(profile.id, profile)
  profiles.value = next
}

const flush = async () => {
  flushing = false
  const stale = sessionAnswers.stamp()
  while (queued.length > 0) {
    const batch = queued.slice(0, PROFILES_PER_LOOKUP)
    queued = queued.slice(PROFILES_PER_LOOKUP)
    const result = await fetchJson<{ profiles: Profile[] }>('POST', '/api/people/profiles', { userIds: batch })
    if (stale()) return
    // A refusal forgets the ids, so that the next person on screen asks again.
    if (result.ok) store(result.data.profiles)
    else for (const id of batch) asked.delete(id)
  }
}

/** Asks for the profiles of these users unless known or on their way; batched with the other asks of this moment. */
export const wantProfiles = (userIds: Iterable<string>) => {
  for (const id of userIds) {
    if (asked.has(id) || profiles.peek().has(id)) continue
    asked.add(id)
    queued.push(id)
  }
  if (queued.length > 0 && !flushing) {
    flushing = true
    setTimeout(() => { flush() }, 0)
  }
}

/**
 * After a reconnect: pushes may have been missed while away, so every profile held is asked again
 * (and the ones refused before get another chance).
 */
export const refreshProfiles = () => {
  asked.clear()
  wantProfiles([...profiles.peek().keys()])
}

/** A profile from the server (a push, a directory page, one's own change). */
export const applyProfile = (profile: Profile) => store([profile])

/** Whether a status still shows at `now` (the server clears it too; a card left open must not show it past its time). */
export const statusShown = (profile: Profile | undefined, now: number) =>
  profile !== undefined && profile.statusText !== '' && (profile.statusExpiresAt === null || profile.statusExpiresAt > now)

/** The name to show for a user: the display name when there is one, else the username. */
export const shownName = (user: { id: string, username: string }, known = profiles.value) => {
  const displayName = known.get(user.id)?.displayName
  return displayName || user.username
}

export const searchPeople = async (q: string, cursor: string | null) => {
  const params = new URLSearchParams()
  if (q !== '') params.set('q', q)
  if (cursor !== null) params.set('cursor', cursor)
  const query = params.toString()
  const result = await fetchJson<{ people: Profile[], nextCursor: string | null }>('GET', `/api/people${query ? `?${query}` : ''}`)
  if (result.ok) store(result.data.people)
  return result
}

export const updateProfile = async (change: ProfileUpdate): Promise<AckResult<Profile>> => {
  const result = await fetchJson<{ profile: Profile }>('PATCH', '/api/profile', change)
  if (!result.ok) return result
  applyProfile(result.data.profile)
  return { ok: true, data: result.data.profile }
}

/** Uploads a prepared avatar (progress 0-1; `signal` cancels it) and shows it at once; everyone else is pushed the change. */
export const setAvatar = async (blob: Blob, onProgress: (fraction: number) => void, signal: AbortSignal) => {
  const result = await uploadAvatar(blob, onProgress, signal)
  if (result.ok) applyProfile(result.data.profile)
  return result
}

/** Back to the generated avatar. */
export const removeAvatar = async (): Promise<AckResult<Profile>> => {
  const result = await fetchJson<{ profile: Profile }>('DELETE', '/api/profile/avatar')
  if (!result.ok) return result
  applyProfile(result.data.profile)
  return { ok: true, data: result.data.profile }
}

/** Another user signed in (or none): nothing known of the previous session's people applies. */
export const resetPeople = () => {
  sessionAnswers.invalidate()
  asked.clear()
  queued = []
  profiles.value = new Map()
  peopleDialog.value = null
}
