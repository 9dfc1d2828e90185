/**
 * The users and sockets of each room, decided at once: the whole presence of a single node,
 * and a Redis node's copy of its own entries (what it answers from, and re-asserts, while Redis is away).
 */
export function createPresenceMap () {
  const byRoom = new Map<string, Map<string, Set<string>>>()
  return {
    add (roomId: string, userId: string, socketId: string) {
      const users = byRoom.get(roomId) ?? new Map<string, Set<string>>()
      byRoom.set(roomId, users)
      const sockets = users.get(userId) ?? new Set<string>()
      users.set(userId, sockets)
      const first = sockets.size === 0
      sockets.add(socketId)
      return first
    },
    remove (roomId: string, userId: string, socketId: string) {
      const users = byRoom.get(roomId)
      const sockets = users?.get(userId)
      if (!users || !sockets?.delete(socketId) || sockets.size > 0) return false
      users.delete(userId)
      if (users.size === 0) byRoom.delete(roomId)
      return true
    },
    online (roomId: string) {
      return new Set(byRoom.get(roomId)?.keys())
    },
    count (roomId: string) {
      return byRoom.get(roomId)?.size ?? 0
    },
    * entries () {
      for (const [roomId, users] of byRoom) {
        for (const [userId, sockets] of users) {
          for (const socketId of sockets) yield { roomId, userId, socketId }
        }
      }
    }
  }
}
