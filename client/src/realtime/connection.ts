import { batch, computed, signal } from '@preact/signals'
import { Manager, type Socket } from 'socket.io-client'
import { ConnectErrors, PROTOCOL_VERSION, SOCKET_PATH, type HandshakeAuth, type Namespaces } from '../../../shared/protocol.ts'

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline'
export type NamespacePath = typeof Namespaces[keyof typeof Namespaces]

/** What one namespace socket is doing, as far as the indicator cares. */
type SocketStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'refused'

// socket.io-client's own event-map constraint, kept local so callers need no socket.io import.
type EventsMap = Record<string, (...args: never[]) => void>

// Retries back off up to 10 s; after this many the connection counts as gone until the browser
// comes back online, the tab becomes visible again or the user presses Retry.
const RECONNECTION_ATTEMPTS = 20
// A server-side kick ("io server disconnect") is not retried by socket.io; we retry once after
// this pause so a revoked session shows up as `unauthorized` and anything else heals.
const SERVER_KICK_RETRY_MS = 1000

let manager: Manager | null = null
const sockets = new Map<NamespacePath, Socket>()
const statuses = signal<ReadonlyMap<NamespacePath, SocketStatus>>(new Map())
const browserOnline = signal(typeof navigator === 'undefined' ? true : navigator.onLine)
const gaveUp = signal(false)
// True while a user is signed in: sockets should be open.
const active = signal(false)
let stopWatchingBrowser: (() => void) | null = null
const kickRetries = new Set<ReturnType<typeof setTimeout>>()
const sessionRejectedListeners = new Set<() => void>()

/** A reason the connection cannot work without the user doing something (shown as a hint). */
export const connectionProblem = signal<string | null>(null)

export const connectionState = computed<ConnectionState>(() => {
  if (!browserOnline.value || gaveUp.value) return 'offline'
  const all = [...statuses.value.values()].filter((status) => status !== 'idle')
  if (all.length === 0 || all.includes('refused')) return 'offline'
  if (all.includes('reconnecting')) return 'reconnecting'
  if (all.includes('connecting')) return 'connecting'
  return 'connected'
})

/** Whether a Retry button makes sense: reconnection gave up while the browser is online. */
export const canRetry = computed(() => active.value && gaveUp.value && browserOnline.value)

const setStatus = (ns: NamespacePath, status: SocketStatus) => {
  if (statuses.peek().get(ns) === status) return
  const next = new Map(statuses.peek())
  next.set(ns, status)
  statuses.value = next
}

const getManager = (): Manager => {
  if (manager) return manager
  manager = new Manager(window.location.origin, {
    path: SOCKET_PATH,
    autoConnect: false,
    reconnectionAttempts: RECONNECTION_ATTEMPTS,
    reconnectionDelay: 500,
    reconnectionDelayMax: 10_000
  })
  manager.on('reconnect_failed', () => { gaveUp.value = true })
  manager.on('reconnect', () => { gaveUp.value = false })
  return manager
}

const track = (ns: NamespacePath, socket: Socket) => {
  let everConnected = false
  socket.on('connect', () => {
    everConnected = true
    connectionProblem.value = null
    setStatus(ns, 'connected')
  })
  socket.on('disconnect', (reason) => {
    if (!active.peek()) return setStatus(ns, 'idle')
    setStatus(ns, 'reconnecting')
    if (reason === 'io server disconnect') {
      const timer = setTimeout(() => {
        kickRetries.delete(timer)
        if (active.peek()) socket.connect()
      }, SERVER_KICK_RETRY_MS)
      kickRetries.add(timer)
    }
  })
  socket.on('connect_error', (error) => {
    if (socket.active) {
      // A transport failure: socket.io keeps retrying on its own.
      setStatus(ns, everConnected ? 'reconnecting' : 'connecting')
      return
    }
    // Refused by the server's handshake middleware: retrying cannot help.
    setStatus(ns, 'refused')
    if (error.message === ConnectErrors.unauthorized) {
      for (const listener of sessionRejectedListeners) listener()
    } else if (error.message === ConnectErrors.protocolMismatch) {
      connectionProblem.value = 'Hubbub was updated. Reload the page to reconnect.'
    } else {
      connectionProblem.value = `The server refused the connection (${error.message}).`
    }
  })
}

/**
 * The one socket of a namespace. Every socket shares one Manager (one underlying connection);
 * the feature module that owns a namespace calls this once and keeps the socket to itself.
 */
export const socketFor = <Listen extends EventsMap = EventsMap, Emit extends EventsMap = Listen>(ns: NamespacePath): Socket<Listen, Emit> => {
  let socket = sockets.get(ns)
  if (!socket) {
    const auth: HandshakeAuth = { protocolVersion: PROTOCOL_VERSION }
    socket = getManager().socket(ns, { auth })
    sockets.set(ns, socket)
    track(ns, socket)
    if (active.peek()) {
      setStatus(ns, 'connecting')
      socket.connect()
    } else {
      setStatus(ns, 'idle')
    }
  }
  return socket as unknown as Socket<Listen, Emit>
}

const watchBrowser = () => {
  const update = () => {
    browserOnline.value = navigator.onLine
    if (navigator.onLine) retryConnection()
  }
  const onVisible = () => { if (document.visibilityState === 'visible' && gaveUp.peek()) retryConnection() }
  window.addEventListener('online', update)
  window.addEventListener('offline', update)
  document.addEventListener('visibilitychange', onVisible)
  return () => {
    window.removeEventListener('online', update)
    window.removeEventListener('offline', update)
    document.removeEventListener('visibilitychange', onVisible)
  }
}

/** Opens every namespace socket created so far (and any created later) for the signed-in user. */
export const connectRealtime = () => {
  if (active.peek()) return
  active.value = true
  gaveUp.value = false
  connectionProblem.value = null
  stopWatchingBrowser ??= watchBrowser()
  browserOnline.value = navigator.onLine
  batch(() => {
    for (const ns of sockets.keys()) setStatus(ns, 'connecting')
  })
  for (const socket of sockets.values()) socket.connect()
}

/** Closes everything (sign-out); the sockets stay registered for the next session. */
export const disconnectRealtime = () => {
  active.value = false
  for (const timer of kickRetries) clearTimeout(timer)
  kickRetries.clear()
  stopWatchingBrowser?.()
  stopWatchingBrowser = null
  for (const socket of sockets.values()) socket.disconnect()
  batch(() => {
    for (const ns of sockets.keys()) setStatus(ns, 'idle')
    gaveUp.value = false
    connectionProblem.value = null
  })
}

/** Tries again right away after reconnection gave up (or after coming back online). */
export const retryConnection = () => {
  if (!active.peek()) return
  gaveUp.value = false
  for (const [ns, socket] of sockets) {
    // A refused handshake (e.g. protocol mismatch) fails the same way again; only a reload helps.
    if (socket.connected || statuses.peek().get(ns) === 'refused') continue
    socket.connect()
  }
}

/** Called when a handshake is refused as `unauthorized`: the session is gone. */
export const onSessionRejected = (listener: () => void) => {
  sessionRejectedListeners.add(listener)
  return () => { sessionRejectedListeners.delete(listener) }
}
