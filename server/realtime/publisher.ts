import type { Static } from 'typebox'
import type { User } from '../../shared/auth.ts'
import type { CommandCatalog, PushCatalog } from '../../shared/protocol.ts'
import { rooms } from './rooms.ts'
import type { TypedNamespace } from './types.ts'

/** Who a push is for, in the features' words; `except` leaves out one socket (the actor's, which has its ack) or every socket of a user. */
export type Audience =
  | { room: string, exceptSocket?: string | undefined, exceptUser?: string }
  | { user: string, exceptSocket?: string | undefined }
  | { users: readonly string[] }
  /** Every socket in any of these rooms, and every socket of `user`: each socket once. */
  | { rooms: readonly string[], user: string }
  | { everyone: true, exceptUser?: string }

/**
 * What a feature needs of the realtime layer: push to an audience (on every node, through the
 * adapter), make one of this node's sockets follow a room or stop, and count who is connected.
 * The features never see Socket.IO rooms or namespaces; this is where several nodes plug in.
 */
export interface Publisher<P extends PushCatalog> {
  emit: <E extends keyof P & string>(to: Audience, event: E, payload: Static<P[E]['payload']>, options?: { volatile?: boolean }) => void
  /** Makes a socket of this node follow a room's pushes; false when the socket is gone (closed meanwhile). */
  follow: (socketId: string, roomId: string) => boolean
  unfollow: (socketId: string, roomId: string) => void
  /**
   * Makes every socket of a user, on every node, stop following a room (they were removed from it,
   * or left it). Each node does it for its own sockets, as the request reaches it through the
   * adapter: before any push published after this call.
   */
  unfollowUser: (userId: string, roomId: string) => void
  /** Runs on this node for each socket of its own that `unfollowUser` took out of a room (presence, typing). */
  onUnfollowed: (listener: (socketId: string, user: User, roomId: string) => void) => void
  /** How many of these users have a socket connected, on every node (this node's alone when another does not answer within `timeoutMs`). */
  connectedUsers: (userIds: readonly string[], timeoutMs: number) => Promise<{ count: number, complete: boolean }>
  /**
   * Which of these users have a socket, on any node, whose visible tab shows the room (`chat:focus`).
   * A node that does not answer within `timeoutMs` counts no viewers: a notification too many beats one lost.
   */
  viewers: (roomId: string, userIds: readonly string[], timeoutMs: number) => Promise<Set<string>>
}

/** `clustered`: other nodes share the namespace through the adapter (the in-memory one has no server-side emits). */
export function createPublisher<C extends CommandCatalog, P extends PushCatalog> (nsp: TypedNamespace<C, P>, { clustered = false }: { clustered?: boolean } = {}): Publisher<P> {
  let unfollowed: ((socketId: string, user: User, roomId: string) => void) | undefined
  /** This node's sockets of the user that follow the room leave it. */
  const unfollowHere = (userId: string, roomId: string) => {
    const room = rooms.chat(roomId)
    for (const socketId of [...nsp.adapter.rooms.get(rooms.user(userId)) ?? []]) {
      const socket = nsp.sockets.get(socketId)
      if (!socket?.rooms.has(room)) continue
      socket.leave(room)
      if (socket.data.user) unfollowed?.(socket.id, socket.data.user, roomId)
    }
  }
  if (clustered) nsp.on('publisher:unfollow-user', unfollowHere)
  const target = (to: Audience) => {
    if ('room' in to) {
      const operator = nsp.to(rooms.chat(to.room))
      const except = [to.exceptSocket, to.exceptUser && rooms.user(to.exceptUser)].filter((name): name is string => Boolean(name))
      return except.length > 0 ? operator.except(except) : operator
    }
    if ('rooms' in to) return nsp.to([...to.rooms.map(rooms.chat), rooms.user(to.user)])
    if ('user' in to) {
      const operator = nsp.to(rooms.user(to.user))
      return to.exceptSocket ? operator.except(to.exceptSocket) : operator
    }
    if ('users' in to) return nsp.to(to.users.map(rooms.user))

    return nsp.except(to.exceptUser ? rooms.user(to.exceptUser) : [])
  }
  /** The users' sockets on every node (socket.data travels with them), or this node's when another is late. */
  const socketsOf = async (userIds: readonly string[], timeoutMs: number) => {
    if (userIds.length === 0) return { sockets: [], complete: true }
    const operator = nsp.in(userIds.map(rooms.user))
    let complete = true
    const sockets = await operator.timeout(timeoutMs).fetchSockets().catch(() => {
      complete = false
      return operator.local.fetchSockets()
    })
    return { sockets, complete }
  }
  return {
    emit (to, event, payload, { volatile = false } = {}) {
      const operator = volatile ? target(to).volatile : target(to)
      // The catalog types the payload; the operator's own typing cannot follow a generic event name.
      Reflect.apply(operator.emit, operator, [event, payload])
    },
    follow (socketId, roomId) {
      const socket = nsp.sockets.get(socketId)
      if (!socket) return false
      // On this node, and at once: a cluster-wide join would publish to every node first.
      socket.join(rooms.chat(roomId))
      return true
    },
    unfollow (socketId, roomId) {
      nsp.sockets.get(socketId)?.leave(rooms.chat(roomId))
    },
    unfollowUser (userId, roomId) {
      unfollowHere(userId, roomId)
      if (clustered) nsp.serverSideEmit('publisher:unfollow-user', userId, roomId)
    },
    onUnfollowed (listener) {
      unfollowed = listener
    },
    async connectedUsers (userIds, timeoutMs) {
      const { sockets, complete } = await socketsOf(userIds, timeoutMs)
      return { count: new Set(sockets.map((socket) => socket.data.user?.id)).size, complete }
    },
    async viewers (roomId, userIds, timeoutMs) {
      const { sockets } = await socketsOf(userIds, timeoutMs)
      return new Set(sockets.flatMap(({ data }) => data.viewing === roomId && data.user ? [data.user.id] : []))
    }
  }
}
