import { effect, untracked } from '@preact/signals'
import { request } from '../realtime/request.ts'
import { activeRoomId } from './chat-store.ts'
import { chatSocket, isLive, me } from './chat-socket.ts'

/**
 * Tells the server which room this tab shows and whether the tab is visible: mentions and DMs
 * of that room are then not notified while it is read here (and are, everywhere else).
 */
export const reportFocus = () => {
  if (!me() || !isLive()) return
  request(chatSocket(), 'chat:focus', { roomId: activeRoomId.peek(), visible: document.visibilityState === 'visible' }, 5000)
}

/** Reports again whenever the room on screen or the tab's visibility changes (a new socket is told by the resync). */
export const watchFocus = () => {
  effect(() => {
    if (activeRoomId.value !== undefined) untracked(reportFocus)
  })
  document.addEventListener('visibilitychange', reportFocus)
}
