/** The only place Socket.IO room names are built. */
export const rooms = {
  chat: (roomId: string) => `room:${roomId}`,
  user: (userId: string) => `user:${userId}`,
  session: (sessionId: string) => `session:${sessionId}`,
  symbol: (symbol: string) => `symbol:${symbol}`
} as const
