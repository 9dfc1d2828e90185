import { computed, signal } from '@preact/signals'
import type { MeResponse, SessionResponse, User } from '../../../shared/auth.ts'
import { fetchJson } from '../http/fetch-json.ts'
import type { AuthFailure, AuthMode } from './describe-auth-error.ts'

export type AuthState =
  | { status: 'loading' }
  | { status: 'signed-out', notice: string | null }
  | { status: 'signed-in', user: User }

/** Who is using the app. The shell renders from this and nothing else. */
export const authState = signal<AuthState>({ status: 'loading' })

export const currentUser = computed(() => {
  const state = authState.value
  return state.status === 'signed-in' ? state.user : null
})

/** Asks the server who the session cookie belongs to (once, at start). */
export const restoreSession = async (): Promise<void> => {
  const result = await fetchJson<MeResponse>('GET', '/api/auth/me')
  if (result.ok) {
    authState.value = { status: 'signed-in', user: result.data.user }
  } else if (result.error.code === 'unauthorized') {
    authState.value = { status: 'signed-out', notice: null }
  } else {
    authState.value = { status: 'signed-out', notice: 'Hubbub couldn’t check your session. You can sign in again.' }
  }
}

/** Registers or signs in; resolves to null on success, or to what went wrong. */
export const submitCredentials = async (mode: AuthMode, username: string, password: string): Promise<AuthFailure | null> => {
  const url = mode === 'register' ? '/api/auth/register' : '/api/auth/login'
  const result = await fetchJson<SessionResponse>('POST', url, { username, password })
  if (!result.ok) return result
  authState.value = { status: 'signed-in', user: result.data.user }
  return null
}

export const signOut = async (): Promise<void> => {
  // Whatever the answer, this tab is done with the session; the server revokes it on its side.
  await fetchJson<undefined>('POST', '/api/auth/logout')
  authState.value = { status: 'signed-out', notice: null }
}

/** The server no longer accepts the session (revoked, expired, signed out elsewhere). */
export const endSession = (notice: string) => {
  if (authState.peek().status === 'signed-in') authState.value = { status: 'signed-out', notice }
}
