const CHAT = 'room:'

/** The only place Socket.IO room names are built (and read back). */
export const rooms = {
  chat: (roomId: string) => CHAT + roomId,
  user: (userId: string) => `user:${userId}`,
  session: (sessionId: string) => `session:${sessionId}`,
  /** The sockets whose ticker subscription is one same set of symbols (key: see subscription-sets.ts). */
  tickerSet: (key: string) => `ticker-set:${key}`,
  /** The sockets that watch the forming candle of a symbol at an interval. */
  tickerCandles: (symbol: string, interval: string) => `candles:${symbol}:${interval}`,
  /** The chat room id of a socket.io room name, or null for other rooms. */
  chatRoomId: (name: string) => name.startsWith(CHAT) ? name.slice(CHAT.length) : null
} as const
