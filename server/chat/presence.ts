/**
 * Who is online in which room, per user rather than per socket: a user is online in a room
 * while at least one of their sockets follows it.
 */
export interface Presence {
  /** True when this is the user's first socket in the room. */
  add (roomId: string, userId: string, socketId: string): Promise<boolean>
  /** True when this was the user's last socket in the room. */
  remove (roomId: string, userId: string, socketId: string): Promise<boolean>
  online (roomId: string): Promise<Set<string>>
}

export function createMemoryPresence (): Presence {
  const byRoom = new Map<string, Map<string, Set<string>>>()
  return {
    async add (roomId, userId, socketId) {
      const users = byRoom.get(roomId) ?? new Map<string, Set<string>>()
      byRoom.set(roomId, users)
      const sockets = users.get(userId) ?? new Set<string>()
      users.set(userId, sockets)
      const first = sockets.size === 0
      sockets.add(socketId)
      return first
    },
    async remove (roomId, userId, socketId) {
      const users = byRoom.get(roomId)
      const sockets = users?.get(userId)
      if (!users || !sockets?.delete(socketId) || sockets.size > 0) return false
      users.delete(userId)
      if (users.size === 0) byRoom.delete(roomId)
      return true
    },
    async online (roomId) {
      return new Set(byRoom.get(roomId)?.keys())
    }
  }
}
