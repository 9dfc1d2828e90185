import type { User } from '../../../shared/auth.ts'
import { unreadElsewhereExcept } from '../chat/chat-store.ts'
import { badgeText } from '../chat/unread.ts'
import { SearchButton } from '../chat/search/search-button.tsx'
import { NotificationBell } from '../notifications/notification-bell.tsx'
import { PeopleButton } from '../people/people-button.tsx'
import { isRoomMuted } from '../notifications/room-notifications.ts'
import { ConnectionIndicator } from './connection-indicator.tsx'
import { ChartIcon, ChatIcon } from './icons.tsx'
import { Link } from './link.tsx'
import { Logo } from './logo.tsx'
import { paths, type Route } from './router.ts'
import { UserMenu } from './user-menu.tsx'

interface TopBarProps {
  user: User
  route: Route
}

// A muted room keeps its own count in the sidebar but does not call from the Chat tab.
const unreadElsewhere = unreadElsewhereExcept((roomId) => isRoomMuted(roomId))

/** The Chat tab: its badge counts unread messages in rooms other than the one on screen (and not muted). */
const ChatNavLink = ({ current }: { current: boolean }) => {
  const unread = unreadElsewhere.value
  const badge = badgeText(unread)
  return (
    <Link class='nav-link' href={paths.chat} aria-current={current ? 'page' : undefined} aria-label={badge ? `Chat, ${unread} unread` : undefined}>
      <ChatIcon size={18} />
      Chat
      {badge ? <span class='unread-badge' aria-hidden='true'>{badge}</span> : null}
    </Link>
  )
}

/** The app name, the Chat / Market navigation, the connection, notifications and the user. */
export const TopBar = ({ user, route }: TopBarProps) => (
  <header class='top-bar'>
    <Link class='brand' href={paths.chat} aria-label='Hubbub home'>
      <Logo />
      <span class='brand-name'>Hubbub</span>
    </Link>
    <nav class='main-nav' aria-label='Main'>
      <ChatNavLink current={route.name === 'chat'} />
      <Link class='nav-link' href={paths.market} aria-current={route.name === 'market' ? 'page' : undefined}>
        <ChartIcon size={18} />
        Market
      </Link>
    </nav>
    <div class='top-bar-end'>
      <ConnectionIndicator />
      <SearchButton />
      <PeopleButton />
      <NotificationBell />
      <UserMenu user={user} />
    </div>
  </header>
)
