/** The time now in a time zone, as "14:05" (the browser's locale), or null when the zone is unknown or unset. */
export const localTimeIn = (timeZone: string, now: number, locale?: string) => {
  if (timeZone === '') return null
  try {
    return new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit' }).format(now)
  } catch {
    return null
  }
}

/** Every IANA time zone the browser knows (for the settings' list), the browser's own first. */
export const timeZoneChoices = () => {
  const own = Intl.DateTimeFormat().resolvedOptions().timeZone
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [own]
  return [own, ...all.filter((zone) => zone !== own)]
}

/** What "clear after" offers, in minutes (null: never). */
export const CLEAR_AFTER_CHOICES: readonly { label: string, minutes: number | null }[] = [
  { label: 'Never', minutes: null },
  { label: '30 minutes', minutes: 30 },
  { label: '1 hour', minutes: 60 },
  { label: '4 hours', minutes: 240 },
  { label: '1 day', minutes: 1440 },
  { label: '1 week', minutes: 10080 }
]
