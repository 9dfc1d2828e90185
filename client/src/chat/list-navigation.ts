/**
 * Where a key moves focus in a list that is one Tab stop (the message list): the index of the
 * item to focus, or null when the key does not move it (then the browser keeps the key).
 */
export const rovingIndex = (index: number, key: string, count: number): number | null => {
  if (count === 0) return null
  switch (key) {
    case 'ArrowUp': return Math.max(0, index - 1)
    case 'ArrowDown': return Math.min(count - 1, index + 1)
    case 'Home': return 0
    case 'End': return count - 1
    default: return null
  }
}

/** The item that takes the list's Tab stop: the one last focused while it is still there, else the newest. */
export const tabStopKey = (keys: readonly string[], lastFocused: string | null): string | null =>
  lastFocused !== null && keys.includes(lastFocused) ? lastFocused : keys.at(-1) ?? null
