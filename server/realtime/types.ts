import type { Namespace, Socket } from 'socket.io'
import type { User } from '../../shared/auth.ts'
import type { CommandCatalog, CommandEvents, PushCatalog, PushEvents } from '../../shared/protocol.ts'

/** What the handshake stores on every socket. */
export interface SocketData {
  user: User | null
  sessionId: string | null
  /** The client's address key (through trusted proxies; an IPv6 client by its /64): what anonymous sockets are limited by. */
  address: string
  /**
   * The chat room this socket's tab shows while the tab is visible (from `chat:focus`), else null.
   * Kept on the socket alone; other nodes read it through `fetchSockets` (see Publisher.viewers).
   */
  viewing?: string | null
}

/** What one node asks the others, through the adapter (`serverSideEmit`). */
export interface InterServerEvents {
  /** Every socket of this user on the receiving node stops following this room (see Publisher.unfollowUser). */
  'publisher:unfollow-user': (userId: string, roomId: string) => void
}

export type TypedNamespace<C extends CommandCatalog, P extends PushCatalog> =
  Namespace<CommandEvents<C>, PushEvents<P>, InterServerEvents, SocketData>
export type TypedSocket<C extends CommandCatalog, P extends PushCatalog> =
  Socket<CommandEvents<C>, PushEvents<P>, InterServerEvents, SocketData>
