import type { User } from '../../../shared/auth.ts'
import { SearchButton } from '../chat/search/search-button.tsx'
import { NotificationBell } from '../notifications/notification-bell.tsx'
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

/** The app name, the Chat / Market navigation, the connection, notifications and the user. */
export const TopBar = ({ user, route }: TopBarProps) => (
  <header class='top-bar'>
    <Link class='brand' href={paths.chat} aria-label='Hubbub home'>
      <Logo />
      <span class='brand-name'>Hubbub</span>
    </Link>
    <nav class='main-nav' aria-label='Main'>
      <Link class='nav-link' href={paths.chat} aria-current={route.name === 'chat' ? 'page' : undefined}>
        <ChatIcon size={18} />
        Chat
      </Link>
      <Link class='nav-link' href={paths.market} aria-current={route.name === 'market' ? 'page' : undefined}>
        <ChartIcon size={18} />
        Market
      </Link>
    </nav>
    <div class='top-bar-end'>
      <ConnectionIndicator />
      <SearchButton />
      <NotificationBell />
      <UserMenu user={user} />
    </div>
  </header>
)
