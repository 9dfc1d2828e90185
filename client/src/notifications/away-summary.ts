import { effect, signal } from '@preact/signals'
import type { AwaySummary } from '../../../shared/notifications.ts'
import { currentUser } from '../auth/auth-store.ts'
import { createAwayTracker, lastSeenKey, SEEN_EVERY_MS } from './away-tracker.ts'
import { requestAwaySummary } from './notifications-socket.ts'

/** The "while you were away" summary on screen, or null. */
export const awaySummary = signal<AwaySummary | null>(null)

export const dismissAwaySummary = () => { awaySummary.value = null }

/** Whether a summary has anything to show (movers count: the user watches those symbols). */
export const hasNews = (summary: AwaySummary) =>
  summary.rooms.length + summary.mentions.length + summary.threads.length + summary.alerts.length + summary.movers.length > 0

let started = false

/**
 * Watches the signed-in user's presence in this browser (every tab, through `localStorage`) and,
 * on coming back after AWAY_AFTER_MS with no tab visible, asks the server what happened since.
 */
export const startAwaySummary = () => {
  if (started) return
  started = true
  let stop = () => {}
  effect(() => {
    const user = currentUser.value
    stop()
    awaySummary.value = null
    if (!user) {
      stop = () => {}
      return
    }
    const tracker = createAwayTracker({ store: window.localStorage, key: lastSeenKey(user.id), now: Date.now })
    const show = async (since: number | null) => {
      if (since === null) return
      const result = await requestAwaySummary(since)
      // Signed out or in as someone else meanwhile: not theirs to see.
      if (!result.ok || currentUser.peek()?.id !== user.id || !hasNews(result.data)) return
      awaySummary.value = result.data
    }
    const onVisibility = () => {
      if (document.visibilityState === 'visible') show(tracker.visible())
      else tracker.hidden()
    }
    const onPageHide = () => tracker.hidden()
    // While visible, "seen" every minute; a stalled timer (a sleeping laptop) finds the user away too.
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') show(tracker.visible())
    }, SEEN_EVERY_MS)
    document.addEventListener('visibilitychange', onVisibility)
    window.addEventListener('pagehide', onPageHide)
    if (document.visibilityState === 'visible') show(tracker.visible())
    stop = () => {
      clearInterval(timer)
      document.removeEventListener('visibilitychange', onVisibility)
      window.removeEventListener('pagehide', onPageHide)
    }
  })
}
