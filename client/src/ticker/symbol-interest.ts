/**
 * Which symbols the page's chips need quotes of, counted per chip on screen, and what to tell the
 * server so that the socket holds exactly their union. Changes are gathered and taken in one
 * `flush()`, so that many chips appearing at once make one subscribe (pure).
 */
export interface InterestChanges {
  subscribe: string[]
  unsubscribe: string[]
}

export const createSymbolInterest = () => {
  /** symbol -> how many chips of it are on screen. */
  const counts = new Map<string, number>()
  /** What the server was last told this page wants. */
  const sent = new Set<string>()

  return {
    /** A chip of `symbol` came into view. */
    show: (symbol: string) => {
      counts.set(symbol, (counts.get(symbol) ?? 0) + 1)
    },
    /** A chip of `symbol` left the view (or the page). */
    hide: (symbol: string) => {
      const count = counts.get(symbol) ?? 0
      if (count <= 1) counts.delete(symbol)
      else counts.set(symbol, count - 1)
    },
    wanted: (): string[] => [...counts.keys()],
    /** What changed since the last flush; the caller sends it. */
    flush: (): InterestChanges => {
      const subscribe = [...counts.keys()].filter((symbol) => !sent.has(symbol))
      const unsubscribe = [...sent].filter((symbol) => !counts.has(symbol))
      for (const symbol of subscribe) sent.add(symbol)
      for (const symbol of unsubscribe) sent.delete(symbol)
      return { subscribe, unsubscribe }
    },
    /** The server forgot this socket's subscriptions (a reconnect, an unsubscribe of all). */
    forget: () => {
      sent.clear()
    }
  }
}

export type SymbolInterest = ReturnType<typeof createSymbolInterest>
