import { computed } from '@preact/signals'
import { effectiveLevel, type RoomPreference } from '../../../shared/notifications.ts'
import { preferences } from './notifications-socket.ts'

const byRoom = computed(() => new Map((preferences.value?.rooms ?? []).map((room) => [room.roomId, room])))

/** The user's preference for a room (undefined: its defaults). */
export const roomPreference = (roomId: string): RoomPreference | undefined => byRoom.value.get(roomId)

/** Whether a room is muted now (its unread count shows without emphasis). */
export const isRoomMuted = (roomId: string, now = Date.now()) => {
  const mutedUntil = roomPreference(roomId)?.mutedUntil
  return mutedUntil != null && mutedUntil > now
}

/** The level a room notifies at now. */
export const roomLevel = (roomId: string, direct: boolean, now = Date.now()) => effectiveLevel(roomPreference(roomId), direct, now)
