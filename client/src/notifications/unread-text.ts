/** Above this the badge says "99+": it stays small and the exact number is in the label. */
export const BADGE_MAX = 99

/** The badge's text, or null when there is nothing unread (no badge). */
export const badgeText = (unread: number): string | null =>
  unread <= 0 ? null : unread > BADGE_MAX ? `${BADGE_MAX}+` : String(unread)

/** The bell button's accessible name: "Notifications" or "Notifications, 3 unread". */
export const bellLabel = (unread: number) => unread > 0 ? `Notifications, ${unread} unread` : 'Notifications'

/** The document title with the unread count in front: "(3) Chat · Hubbub". */
export const titleWithUnread = (title: string, unread: number) => unread > 0 ? `(${badgeText(unread)}) ${title}` : title
