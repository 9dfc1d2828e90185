import { effect, untracked, type ReadonlySignal } from '@preact/signals'

/**
 * Calls `changed` whenever another user (or nobody) is signed in: a socket owner resets what it
 * holds there, so nothing of the previous user shows. Nobody is signed in to begin with, so it
 * is first called when someone signs in. Returns the function that stops it.
 */
export const onUserChange = <U extends { id: string }>(user: ReadonlySignal<U | null>, changed: (user: U | null) => void): (() => void) => {
  let id: string | null = null
  return effect(() => {
    const current = user.value
    const next = current?.id ?? null
    if (next === id) return
    id = next
    untracked(() => changed(current))
  })
}
