import { signal } from '@preact/signals'

export type Route =
  | { name: 'chat', roomId: string | null }
  | { name: 'market' }
  | { name: 'not-found', path: string }

export const paths = {
  chat: '/chat',
  room: (roomId: string) => `/chat/${encodeURIComponent(roomId)}`,
  market: '/market'
} as const

const decode = (segment: string): string | null => {
  try {
    return decodeURIComponent(segment)
  } catch {
    return null
  }
}

export const parseRoute = (pathname: string): Route => {
  const parts = pathname.split('/').filter(Boolean)
  const [first, second, ...rest] = parts
  if (first === undefined) return { name: 'chat', roomId: null }
  if (first === 'chat' && rest.length === 0) {
    if (second === undefined) return { name: 'chat', roomId: null }
    const roomId = decode(second)
    if (roomId) return { name: 'chat', roomId }
  }
  if (first === 'market' && second === undefined) return { name: 'market' }
  return { name: 'not-found', path: pathname }
}

const currentPath = () => window.location.pathname

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
  if (currentPath() === '/') window.history.replaceState(null, '', paths.chat + window.location.search + window.location.hash)
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
