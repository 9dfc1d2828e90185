import { effect, signal } from '@preact/signals'
import type { AwaySummary } from '../../../shared/notifications.ts'
import { currentUser } from '../auth/auth-store.ts'
import { createAwayTracker, lastSeenKey, SEEN_EVERY_MS } from './away-tracker.ts'
import { onNewNotification, requestAwaySummary } from './notifications-socket.ts'

/** The "while you were away" summary on screen, or null. */
export const awaySummary = signal<AwaySummary | null>(null)

/** How long the user was away, fixed when the summary opens (its lists refresh while it is open). */
export const awayFor = signal(0)

export const dismissAwaySummary = () => { awaySummary.value = null }

/** A burst of notifications (a busy room) asks for the summary once, this long after the first. */
export const AWAY_REFRESH_DELAY_MS = 400

/** Whether a summary has anything to show (movers count: the user watches those symbols). */
export const hasNews = (summary: AwaySummary) =>
  summary.rooms.length + summary.mentions.length + summary.threads.length + summary.alerts.length + summary.movers.length > 0

let started = false

/**
 * Watches the signed-in user's presence in this browser (every tab, through `localStorage`) and,
 * on coming back after AWAY_AFTER_MS with no tab visible, asks the server what happened since.
 * While the summary is open it stays live: a new notification (a mention, a DM, a reply, a fired
 * alert) asks for it again from the same time, so what arrives meanwhile shows in it.
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
      refreshes++
      awayFor.value = result.data.until - result.data.since
      awaySummary.value = result.data
    }
    // Only the latest answer is shown (an older one that comes last would drop items).
    let refreshes = 0
    let pending: ReturnType<typeof setTimeout> | undefined
    const refresh = async () => {
      pending = undefined
      const open = awaySummary.peek()
      if (open === null) return
      const mine = ++refreshes
      const result = await requestAwaySummary(open.since)
      if (!result.ok || mine !== refreshes || currentUser.peek()?.id !== user.id || awaySummary.peek() === null) return
      awaySummary.value = result.data
    }
    const offNew = onNewNotification(() => {
      if (awaySummary.peek() !== null && pending === undefined) pending = setTimeout(refresh, AWAY_REFRESH_DELAY_MS)
    })
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
      offNew()
      clearTimeout(pending)
      clearInterval(timer)
      document.removeEventListener('visibilitychange', onVisibility)
      window.removeEventListener('pagehide', onPageHide)
    }
  })
}
