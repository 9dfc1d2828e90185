import { BellIcon, ListIcon } from '../ui/icons.tsx'
import { Link } from '../ui/link.tsx'
import { paths } from '../ui/router.ts'
import { accountLists, activeList, chooseList } from './ticker-socket.ts'

/** Which of the user's watchlists the board's star and "Watchlist only" use, and the way to the market's pages. */
export const WatchlistPicker = () => {
  const lists = accountLists.value?.lists ?? []
  const active = activeList.value
  return (
    <div class='watchlist-picker'>
      {lists.length > 1
        ? (
          <label class='watchlist-select-label'>
            <span class='visually-hidden'>Active watchlist</span>
            <select class='field-input watchlist-select' value={active?.id} onChange={(event) => chooseList(event.currentTarget.value)}>
              {lists.map((list) => <option key={list.id} value={list.id}>{list.name}</option>)}
            </select>
          </label>
          )
        : null}
      <Link class='button page-link' href={paths.watchlists}><ListIcon size={15} />Lists</Link>
      <Link class='button page-link' href={paths.alerts}><BellIcon size={15} />Alerts</Link>
    </div>
  )
}
