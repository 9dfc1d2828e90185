// Formatting of message times for people, in their own locale and time zone.

const DAY_MS = 24 * 60 * 60 * 1000

export interface FormatOptions {
  locale?: string | undefined
  timeZone?: string | undefined
}

// Building a formatter is far slower than using one, and a long list formats hundreds of times.
const formatters = new Map<string, Intl.DateTimeFormat>()
const formatter = (locale: string | undefined, options: Intl.DateTimeFormatOptions) => {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`
  let cached = formatters.get(key)
  if (!cached) {
    cached = new Intl.DateTimeFormat(locale, options)
    formatters.set(key, cached)
  }
  return cached
}

const dayKey = (at: number, timeZone: string | undefined) =>
  formatter('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at)

/** "14:05" or "2:05 PM", as the locale writes it. */
export const formatTime = (at: number, { locale, timeZone }: FormatOptions = {}) =>
  formatter(locale, { hour: 'numeric', minute: '2-digit', timeZone }).format(at)

/** The time without "AM"/"PM", for the narrow column beside a grouped message. */
export const formatShortTime = (at: number, { locale, timeZone }: FormatOptions = {}) =>
  formatter(locale, { hour: 'numeric', minute: '2-digit', timeZone })
    .formatToParts(at)
    .filter((part) => part.type === 'hour' || part.type === 'minute' || (part.type === 'literal' && part.value.trim() !== ''))
    .map((part) => part.value)
    .join('')

/** The full date and time, for a tooltip. */
export const formatDateTime = (at: number, { locale, timeZone }: FormatOptions = {}) =>
  formatter(locale, { dateStyle: 'full', timeStyle: 'short', timeZone }).format(at)

/** A day separator: "Today", "Yesterday", "Monday, March 3", or with the year when it is not this one. */
export const formatDay = (at: number, now: number, { locale, timeZone }: FormatOptions = {}) => {
  const day = dayKey(at, timeZone)
  if (day === dayKey(now, timeZone)) return 'Today'
  if (day === dayKey(now - DAY_MS, timeZone)) return 'Yesterday'
  const sameYear = day.slice(0, 4) === dayKey(now, timeZone).slice(0, 4)
  return formatter(locale, {
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    ...(sameYear ? {} : { year: 'numeric' }),
    timeZone
  }).format(at)
}
