import type { NotificationKind } from '../../../shared/notifications.ts'
import { AtSignIcon, ChatIcon, InfoIcon, MailIcon, TrendIcon, UserPlusIcon } from '../ui/icons.tsx'

const icons = {
  mention: AtSignIcon,
  dm: MailIcon,
  invite: UserPlusIcon,
  'price-alert': TrendIcon,
  system: InfoIcon,
  thread: ChatIcon
} satisfies Record<NotificationKind, unknown>

/** Names of the kinds, for assistive tech (the icon itself is decorative). */
export const kindLabels: Record<NotificationKind, string> = {
  mention: 'Mention',
  dm: 'Direct message',
  invite: 'Invitation',
  'price-alert': 'Price alert',
  system: 'Announcement',
  thread: 'Thread reply'
}

/** The round, tinted icon of a notification's kind. */
export const KindIcon = ({ kind }: { kind: NotificationKind }) => {
  const Icon = icons[kind] ?? InfoIcon
  return (
    <span class='notif-kind' data-kind={kind}>
      <Icon size={18} />
    </span>
  )
}
