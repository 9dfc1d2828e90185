const CHAT = 'room:'

/** The only place Socket.IO room names are built (and read back). */
export const rooms = {
  chat: (roomId: string) => CHAT + roomId,
  user: (userId: string) => `user:${userId}`,
  session: (sessionId: string) => `session:${sessionId}`,
  symbol: (symbol: string) => `symbol:${symbol}`,
  /** The chat room id of a socket.io room name, or null for other rooms. */
  chatRoomId: (name: string) => name.startsWith(CHAT) ? name.slice(CHAT.length) : null
} as const
