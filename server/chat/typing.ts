/**
 * Typing state per (room, user) that expires by itself when a client stops refreshing it
 * (a closed laptop never sends "stopped typing"). Refreshes within `minIntervalMs` are not relayed.
 */
export function createTypingTracker<U extends { id: string }> ({ ttlMs, minIntervalMs, onChange }: {
  ttlMs: number
  minIntervalMs: number
  onChange: (roomId: string, user: U, typing: boolean) => void
}) {
  const active = new Map<string, { timer: NodeJS.Timeout, relayedAt: number, user: U }>()
  const key = (roomId: string, userId: string) => `${roomId}\n${userId}`

  const stop = (roomId: string, userId: string) => {
    const entry = active.get(key(roomId, userId))
    if (!entry) return
    clearTimeout(entry.timer)
    active.delete(key(roomId, userId))
    onChange(roomId, entry.user, false)
  }

  return {
    set (roomId: string, user: U, typing: boolean) {
      if (!typing) return stop(roomId, user.id)
      const k = key(roomId, user.id)
      const entry = active.get(k)
      const now = performance.now()
      if (entry) clearTimeout(entry.timer)
      const timer = setTimeout(() => stop(roomId, user.id), ttlMs)
      const relay = !entry || now - entry.relayedAt >= minIntervalMs
      active.set(k, { timer, relayedAt: relay ? now : entry.relayedAt, user })
      if (relay) onChange(roomId, user, true)
    },
    stop,
    close () {
      for (const { timer } of active.values()) clearTimeout(timer)
      active.clear()
    }
  }
}
