import { useId } from 'preact/hooks'
import { isQuiet, type NotificationKind, type QuietSchedule } from '../../../shared/notifications.ts'
import { kindLabels } from './kind-icon.tsx'
import { preferences, setNotificationSettings } from './notifications-socket.ts'
import { describeUntil, untilOptions } from './until-options.ts'

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const KINDS: NotificationKind[] = ['mention', 'dm', 'message', 'invite', 'price-alert', 'system']
const toTime = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
const fromTime = (value: string) => {
  const [h, m] = value.split(':').map(Number)
  return (h ?? 0) * 60 + (m ?? 0)
}
const localZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
const defaultSchedule = (): QuietSchedule => ({ timeZone: localZone(), days: [0, 1, 2, 3, 4, 5, 6], from: 22 * 60, to: 7 * 60 })

/** Do not disturb (now, and a weekly schedule in the user's time zone) and the desktop kinds, saved to the account. */
export const NotificationSettingsView = () => {
  const settings = preferences.value?.settings
  const dndId = useId()
  if (!settings) return <div class='notif-settings'><p class='notif-state' role='status'>Loading settings…</p></div>
  const now = Date.now()
  const dndOn = settings.dndUntil !== null && settings.dndUntil > now
  const schedule = settings.schedule
  const changeSchedule = (change: Partial<QuietSchedule>) => {
    const next = { ...(schedule ?? defaultSchedule()), ...change }
    if (next.days.length > 0) setNotificationSettings({ schedule: next })
  }
  return (
    <div class='notif-settings'>
      <div class='notif-settings-line'>
        <label for={dndId}>Do not disturb</label>
        <select
          id={dndId}
          class='notif-select'
          value={dndOn ? 'on' : 'off'}
          onChange={(event) => {
            const key = event.currentTarget.value
            const option = untilOptions(Date.now()).find((choice) => choice.key === key)
            setNotificationSettings({ dndUntil: option ? option.until : null })
          }}
        >
          <option value='off'>Off</option>
          {dndOn ? <option value='on'>On {describeUntil(settings.dndUntil!, now)}</option> : null}
          {untilOptions(now).map((option) => <option key={option.key} value={option.key}>{option.label}</option>)}
        </select>
      </div>
      {isQuiet(settings, now) ? <p class='notif-settings-note'>Notifications arrive quietly: no pop-ups or desktop alerts.</p> : null}
      <fieldset class='notif-settings-group'>
        <legend>
          <label class='notif-check'>
            <input type='checkbox' checked={schedule !== null} onChange={(event) => setNotificationSettings({ schedule: event.currentTarget.checked ? defaultSchedule() : null })} />
            Quiet hours every week
          </label>
        </legend>
        {schedule
          ? (
            <>
              <div class='notif-settings-line'>
                <label>From <input type='time' class='notif-time' value={toTime(schedule.from)} onChange={(event) => changeSchedule({ from: fromTime(event.currentTarget.value) })} /></label>
                <label>to <input type='time' class='notif-time' value={toTime(schedule.to)} onChange={(event) => changeSchedule({ to: fromTime(event.currentTarget.value) })} /></label>
                <span class='notif-settings-zone'>{schedule.timeZone}</span>
              </div>
              <div class='notif-days'>
                {DAYS.map((day, index) => (
                  <label key={day} class='notif-day'>
                    <input
                      type='checkbox'
                      checked={schedule.days.includes(index)}
                      onChange={(event) => changeSchedule({ days: event.currentTarget.checked ? [...schedule.days, index].sort() : schedule.days.filter((d) => d !== index) })}
                    />
                    {day}
                  </label>
                ))}
              </div>
            </>
            )
          : null}
      </fieldset>
      <fieldset class='notif-settings-group'>
        <legend>Desktop notifications for</legend>
        <div class='notif-days'>
          {KINDS.map((kind) => (
            <label key={kind} class='notif-day'>
              <input
                type='checkbox'
                checked={settings.desktopKinds.includes(kind)}
                onChange={(event) => setNotificationSettings({
                  desktopKinds: event.currentTarget.checked ? [...settings.desktopKinds, kind] : settings.desktopKinds.filter((k) => k !== kind)
                })}
              />
              {kindLabels[kind]}
            </label>
          ))}
        </div>
      </fieldset>
    </div>
  )
}
