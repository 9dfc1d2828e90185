import { MUTE_FOREVER } from '../../../shared/notifications.ts'

/** Tomorrow at 09:00, local time: when "until tomorrow" ends. */
export const tomorrowMorning = (now: number) => {
  const date = new Date(now)
  date.setDate(date.getDate() + 1)
  date.setHours(9, 0, 0, 0)
  return date.getTime()
}

/** The choices for a mute or for do not disturb, each with its end. */
export const untilOptions = (now: number) => [
  { key: '1h', label: 'For 1 hour', until: now + 3_600_000 },
  { key: '8h', label: 'For 8 hours', until: now + 8 * 3_600_000 },
  { key: 'tomorrow', label: 'Until tomorrow', until: tomorrowMorning(now) },
  { key: 'forever', label: 'Until I turn it back on', until: MUTE_FOREVER }
] as const

/** "until 14:30", "until Tue 09:00", or "" for forever. */
export const describeUntil = (until: number, now: number) => {
  if (until >= MUTE_FOREVER) return ''
  const date = new Date(until)
  const time = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
  return new Date(now).toDateString() === date.toDateString() ? `until ${time}` : `until ${date.toLocaleDateString([], { weekday: 'short' })} ${time}`
}
