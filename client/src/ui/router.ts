import { signal } from '@preact/signals'

export type Route =
  // `seq`: the message to show (`/chat/<roomId>?seq=N`, as notifications link to); `thread`: the
  // thread to open beside the room (`/chat/<roomId>?thread=<rootId>`, as thread notifications link to).
  | { name: 'chat', roomId: string | null, seq?: number, thread?: string }
  // `page`: a page of the market instead of the board (all alerts, the watchlists).
  | { name: 'market', symbol: string | null, page?: MarketPage }
  | { name: 'not-found', path: string }

/** The market's pages beside the board; these names are never symbols (symbols are upper case). */
export type MarketPage = 'alerts' | 'watchlists'
const marketPages: readonly string[] = ['alerts', 'watchlists'] satisfies MarketPage[]

export const paths = {
  chat: '/chat',
  room: (roomId: string) => `/chat/${encodeURIComponent(roomId)}`,
  market: '/market',
  symbol: (symbol: string) => `/market/${encodeURIComponent(symbol)}`,
  alerts: '/market/alerts',
  watchlists: '/market/watchlists'
} as const

const decode = (segment: string): string | null => {
  try {
    return decodeURIComponent(segment)
  } catch {
    return null
  }
}

const seqOf = (query: string): number | undefined => {
  const seq = Number(new URLSearchParams(query).get('seq') ?? '')
  return Number.isSafeInteger(seq) && seq > 0 ? seq : undefined
}

const threadOf = (query: string): string | undefined => {
  const thread = new URLSearchParams(query).get('thread') ?? ''
  return thread.length > 0 && thread.length <= 64 ? thread : undefined
}

/** The route of an in-app path (`/chat/general`, `/chat/abc?seq=42`). */
export const parseRoute = (path: string): Route => {
  const [beforeHash = ''] = path.split('#')
  const queryAt = beforeHash.indexOf('?')
  const pathname = queryAt === -1 ? beforeHash : beforeHash.slice(0, queryAt)
  const query = queryAt === -1 ? '' : beforeHash.slice(queryAt)
  const parts = pathname.split('/').filter(Boolean)
  const [first, second, ...rest] = parts
  if (first === undefined) return { name: 'chat', roomId: null }
  if (first === 'chat' && rest.length === 0) {
    if (second === undefined) return { name: 'chat', roomId: null }
    const roomId = decode(second)
    const seq = seqOf(query)
    const thread = threadOf(query)
    if (roomId) return { name: 'chat', roomId, ...(seq !== undefined && { seq }), ...(thread !== undefined && { thread }) }
  }
  if (first === 'market' && rest.length === 0) {
    if (second === undefined) return { name: 'market', symbol: null }
    if (marketPages.includes(second)) return { name: 'market', symbol: null, page: second as MarketPage }
    const symbol = decode(second)
    if (symbol) return { name: 'market', symbol }
  }
  return { name: 'not-found', path: pathname }
}

const currentPath = () => window.location.pathname + window.location.search

/** The route of the current URL; views render from it. */
export const route = signal<Route>({ name: 'chat', roomId: null })

/** Moves to an in-app path without a page load (the History API keeps Back/Forward working). */
export const navigate = (path: string, options: { replace?: boolean } = {}) => {
  if (path === currentPath()) return
  if (options.replace) window.history.replaceState(null, '', path)
  else window.history.pushState(null, '', path)
  route.value = parseRoute(path)
}

/** Reads the URL once and follows Back/Forward; returns the function that stops following. */
export const startRouter = () => {
  // `/` is an alias of the chat home, shown as its real address.
  if (window.location.pathname === '/') window.history.replaceState(null, '', paths.chat + window.location.search + window.location.hash)
  route.value = parseRoute(currentPath())
  let lastPath = currentPath()
  const onPopState = () => {
    // Fragment-only changes (the skip link) also fire popstate; the route did not change then.
    if (currentPath() === lastPath) return
    lastPath = currentPath()
    route.value = parseRoute(lastPath)
  }
  window.addEventListener('popstate', onPopState)
  return () => window.removeEventListener('popstate', onPopState)
}
