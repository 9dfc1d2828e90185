import type { Socket } from 'socket.io-client'

export interface ConnectInfo {
  /** socket.io restored the session (rooms kept, missed packets replayed): no re-join needed. */
  recovered: boolean
}

/**
 * Runs `run` now if the socket is connected, and again after every reconnect: the place where a
 * feature re-joins its rooms and re-subscribes. Returns the function that stops it.
 */
export const whenConnected = (socket: Pick<Socket, 'on' | 'off' | 'connected' | 'recovered'>, run: (info: ConnectInfo) => void) => {
  const onConnect = () => run({ recovered: socket.recovered })
  socket.on('connect', onConnect)
  if (socket.connected) onConnect()
  return () => { socket.off('connect', onConnect) }
}
