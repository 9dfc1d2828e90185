import { useState } from 'preact/hooks'
import { rovingIndex, tabStopKey } from './list-navigation.ts'

/**
 * A list of messages that is one Tab stop, with arrows (and Home, End) inside it: the room's list
 * and a thread's. Its messages are `article.message` elements, each inside a wrapper whose
 * `data-anchor` is its key; `keys` are those keys in order. Gives the key that holds the Tab stop
 * (the one last focused while it is there, else the newest) and the list element's handlers
 * (`listProps`).
 */
export const useRovingList = (keys: readonly string[]) => {
  const [lastFocused, setLastFocused] = useState<string | null>(null)
  const onKeyDown = (event: KeyboardEvent) => {
    const target = event.target as HTMLElement
    if (!target.matches('article.message') || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return
    const messages = Array.from(event.currentTarget instanceof HTMLElement ? event.currentTarget.querySelectorAll<HTMLElement>('article.message') : [])
    const next = rovingIndex(messages.indexOf(target), event.key, messages.length)
    if (next === null) return
    event.preventDefault()
    messages[next]?.focus()
  }
  const onFocusIn = (event: FocusEvent) => {
    const key = (event.target as HTMLElement).closest<HTMLElement>('[data-anchor]')?.dataset.anchor
    if (key !== undefined) setLastFocused(key)
  }
  return { tabStop: tabStopKey(keys, lastFocused), listProps: { onKeyDown, onFocusIn } }
}
