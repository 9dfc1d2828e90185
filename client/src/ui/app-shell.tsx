import { useSignalEffect } from '@preact/signals'
import { useEffect, useRef } from 'preact/hooks'
import type { User } from '../../../shared/auth.ts'
import { ChatView } from '../chat/chat-view.tsx'
import { AwayDialog } from '../notifications/away-dialog.tsx'
import { NotificationToasts } from '../notifications/notification-toasts.tsx'
import { unreadCount } from '../notifications/notifications-socket.ts'
import { titleWithUnread } from '../notifications/unread-text.ts'
import { PeopleDialogs } from '../people/people-dialogs.tsx'
import { MarketView } from '../ticker/market-view.tsx'
import { NotFoundView } from './not-found-view.tsx'
import { route, type Route } from './router.ts'
import { TopBar } from './top-bar.tsx'

const titleOf = (current: Route) => {
  switch (current.name) {
    case 'chat': return current.roomId === null ? 'Chat · Hubbub' : `#${current.roomId} · Hubbub`
    case 'market': return current.page === 'alerts' ? 'Alerts · Market · Hubbub' : current.page === 'watchlists' ? 'Watchlists · Market · Hubbub' : current.symbol === null ? 'Market · Hubbub' : `${current.symbol} · Market · Hubbub`
    default: return 'Not found · Hubbub'
  }
}

const View = ({ current }: { current: Route }) => {
  switch (current.name) {
    case 'chat': return <ChatView roomId={current.roomId} />
    case 'market': return <MarketView symbol={current.symbol} page={current.page} />
    default: return <NotFoundView path={current.path} />
  }
}

/**
 * The signed-in app: top bar, the view of the current route, and under it a strip for toasts that
 * takes its room from the view while it shows any (a toast laid over the view would hide controls).
 */
export const AppShell = ({ user }: { user: User }) => {
  const current = route.value
  const mainRef = useRef<HTMLElement>(null)
  const firstRender = useRef(true)

  // Read from the signals here, so a new unread count retitles the page without re-rendering it.
  useSignalEffect(() => {
    document.title = titleWithUnread(titleOf(route.value), unreadCount.value)
  })

  useEffect(() => {
    // After an in-app navigation, move focus to the new content so keyboard and screen-reader
    // users start there (the initial load keeps the browser's default). A view may name the part
    // that is new (a symbol's panel beside the board), so Tab does not cross the rest first.
    if (firstRender.current) firstRender.current = false
    else (mainRef.current?.querySelector<HTMLElement>('[data-route-focus]') ?? mainRef.current)?.focus({ preventScroll: true })
  }, [current])

  return (
    <div class='shell'>
      <a class='skip-link' href='#main'>Skip to content</a>
      <TopBar user={user} route={current} />
      <main id='main' class='shell-main' tabIndex={-1} ref={mainRef}>
        <View current={current} />
      </main>
      <NotificationToasts />
      <PeopleDialogs user={user} />
      <AwayDialog user={user} />
    </div>
  )
}
