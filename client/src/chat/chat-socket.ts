import type { chatCommands, chatPushes } from '../../../shared/chat.ts'
import { Namespaces } from '../../../shared/protocol.ts'
import { lazySocket, type FeatureSocket } from '../realtime/lazy-socket.ts'
import { createStaleGuard } from '../realtime/stale-guard.ts'
import { chatUser } from './chat-store.ts'

export type ChatSocket = FeatureSocket<typeof chatPushes, typeof chatCommands>

/**
 * The one `/chat` socket. Modules of chat/ send commands on it; only `start-chat.ts` listens to
 * it (every push is wired there) and re-joins after reconnects.
 */
export const chatSocket = lazySocket<typeof chatPushes, typeof chatCommands>(Namespaces.chat)

/** Moved on at every sign-in, sign-out and reconnect: socket answers to an older generation are stale. */
export const socketAnswers = createStaleGuard()

/** The signed-in user as chat knows them. */
export const me = () => chatUser.peek()

/**
 * The socket is connected and the browser is online: a socket whose network just went away can
 * look connected until its heartbeat fails, and a message sent into it would only time out.
 */
export const isLive = () => {
  const socket = chatSocket.peek()
  return socket !== null && socket.connected && navigator.onLine
}
