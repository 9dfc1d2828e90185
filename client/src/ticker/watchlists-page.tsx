import { useSignal } from '@preact/signals'
import { useId } from 'preact/hooks'
import { MAX_WATCHLIST_SYMBOLS, MAX_WATCHLISTS, WatchlistNameSchema, type Watchlist } from '../../../shared/ticker.ts'
import { matchesPattern } from '../../../shared/schemas.ts'
import { ArrowDownIcon, ArrowLeftIcon, ArrowUpIcon, CloseIcon, StarIcon, TrashIcon } from '../ui/icons.tsx'
import { Link } from '../ui/link.tsx'
import { paths } from '../ui/router.ts'
import { moveItem } from './account-watchlists.ts'
import { accountLists, activeList, changeList, chooseList, createList, deleteList, moveList } from './ticker-socket.ts'

const nameProblem = (name: string) =>
  name.length === 0 || name.length > 40 || !matchesPattern(WatchlistNameSchema, name) ? 'A name is 1-40 characters on one line, starting and ending with a visible one.' : null

/** Alt+Up / Alt+Down: the move a key asks for, or 0. */
const moveKey = (event: KeyboardEvent) => (event.altKey && event.key === 'ArrowUp' ? -1 : event.altKey && event.key === 'ArrowDown' ? 1 : 0)

/** Focus follows a moved item (rendered again in its new place). */
const focusLater = (selector: string) => requestAnimationFrame(() => document.querySelector<HTMLElement>(selector)?.focus())

const SymbolItem = ({ list, symbol, index }: { list: Watchlist, symbol: string, index: number }) => {
  const move = (delta: number) => {
    changeList(list.id, (current) => {
      const at = current.symbols.indexOf(symbol)
      return at === -1 ? null : { symbols: moveItem(current.symbols, at, delta) }
    })
    focusLater(`[data-list="${list.id}"] [data-symbol="${symbol}"]`)
  }
  return (
    <li
      class='wl-symbol'
      tabIndex={0}
      data-symbol={symbol}
      draggable
      aria-label={`${symbol}, ${index + 1} of ${list.symbols.length}. Alt+Up or Alt+Down to move.`}
      onKeyDown={(event) => {
        const delta = moveKey(event)
        if (delta === 0 || event.target !== event.currentTarget) return
        event.preventDefault()
        move(delta)
      }}
      onDragStart={(event) => event.dataTransfer?.setData('text/x-hubbub-symbol', `${list.id} ${symbol}`)}
      onDragOver={(event) => event.preventDefault()}
      onDrop={(event) => {
        event.preventDefault()
        const [fromList, dragged] = (event.dataTransfer?.getData('text/x-hubbub-symbol') ?? '').split(' ')
        if (fromList !== list.id || !dragged || dragged === symbol) return
        changeList(list.id, (current) => {
          const from = current.symbols.indexOf(dragged)
          const to = current.symbols.indexOf(symbol)
          return from === -1 || to === -1 ? null : { symbols: moveItem(current.symbols, from, to - from) }
        })
      }}
    >
      <Link class='wl-symbol-link' href={paths.symbol(symbol)} tabIndex={-1}>{symbol}</Link>
      <button type='button' class='icon-button' aria-label={`Remove ${symbol} from ${list.name}`} onClick={() => changeList(list.id, (current) => ({ symbols: current.symbols.filter((item) => item !== symbol) }))}>
        <CloseIcon size={14} />
      </button>
    </li>
  )
}

const ListCard = ({ list, index, count }: { list: Watchlist, index: number, count: number }) => {
  const id = useId()
  const name = useSignal(list.name)
  const error = useSignal<string | null>(null)
  const active = activeList.value?.id === list.id
  const rename = async () => {
    const next = name.value
    if (next === list.name) return
    error.value = nameProblem(next) ?? await changeList(list.id, () => ({ name: next }))
  }
  const move = async (delta: number) => {
    const to = index + delta
    if (to < 0 || to >= count) return
    focusLater(`[data-list="${list.id}"]`)
    error.value = await moveList(list.id, to)
  }
  return (
    <li
      class='wl-card'
      data-list={list.id}
      data-active={active ? 'true' : undefined}
      tabIndex={0}
      aria-label={`${list.name}, list ${index + 1} of ${count}. Alt+Up or Alt+Down to move.`}
      onKeyDown={(event) => {
        const delta = moveKey(event)
        if (delta === 0 || event.target !== event.currentTarget) return
        event.preventDefault()
        move(delta)
      }}
    >
      <div class='wl-card-head'>
        <label class='visually-hidden' for={`${id}-name`}>Name of the list</label>
        <input
          id={`${id}-name`}
          class='field-input wl-name'
          value={name.value}
          maxLength={40}
          onInput={(event) => { name.value = event.currentTarget.value }}
          onBlur={rename}
          onKeyDown={(event) => { if (event.key === 'Enter') rename() }}
        />
        <button type='button' class='button wl-use' aria-pressed={active} onClick={() => chooseList(list.id)}>
          <StarIcon size={15} />{active ? 'On the board' : 'Use on the board'}
        </button>
        <button type='button' class='icon-button' aria-label={`Move ${list.name} up`} disabled={index === 0} onClick={() => move(-1)}><ArrowUpIcon size={16} /></button>
        <button type='button' class='icon-button' aria-label={`Move ${list.name} down`} disabled={index === count - 1} onClick={() => move(1)}><ArrowDownIcon size={16} /></button>
        <button type='button' class='icon-button' aria-label={`Delete ${list.name}`} onClick={async () => { error.value = await deleteList(list.id) }}><TrashIcon size={16} /></button>
      </div>
      {error.value ? <p class='field-error' role='alert'>{error.value}</p> : null}
      <p class='wl-meta'>{list.symbols.length} of {MAX_WATCHLIST_SYMBOLS} symbols</p>
      {list.symbols.length > 0
        ? <ol class='wl-symbols' aria-label={`Symbols of ${list.name}`}>{list.symbols.map((symbol, i) => <SymbolItem key={symbol} list={list} symbol={symbol} index={i} />)}</ol>
        : <p class='wl-empty'>No symbols yet: star them on the board while this list is in use.</p>}
    </li>
  )
}

/** The user's watchlists, saved to the account: create, rename, order (Alt+Up/Down or drag), delete, and which one the board uses. */
export const WatchlistsPage = () => {
  const name = useSignal('')
  const error = useSignal<string | null>(null)
  const lists = accountLists.value
  const submit = async (event: Event) => {
    event.preventDefault()
    const problem = nameProblem(name.value)
    error.value = problem ?? await createList(name.value)
    if (error.value === null) name.value = ''
  }
  return (
    <section class='market-page' aria-labelledby='lists-title' tabIndex={-1} data-route-focus>
      <header class='market-page-header'>
        <Link class='detail-back page-back' href={paths.market}><ArrowLeftIcon size={18} /><span>Market</span></Link>
        <h1 id='lists-title' class='board-title'>Watchlists</h1>
        <span class='alerts-count'>{lists?.lists.length ?? 0} of {MAX_WATCHLISTS}</span>
      </header>
      <p class='board-subtitle'>Saved to your account and live in every tab. The star on the board adds to the list in use.</p>
      <form class='wl-create' onSubmit={submit}>
        <label class='visually-hidden' for='wl-new-name'>New list name</label>
        <input id='wl-new-name' class='field-input' placeholder='New list name' maxLength={40} value={name.value} onInput={(event) => { name.value = event.currentTarget.value }} />
        <button type='submit' class='button primary'>Create list</button>
      </form>
      {error.value ? <p class='field-error' role='alert'>{error.value}</p> : null}
      {lists === null
        ? <p class='wl-empty'>Loading…</p>
        : lists.lists.length === 0
          ? <p class='wl-empty'>No watchlists yet. Create one, or star a symbol on the board.</p>
          : <ol class='wl-cards' aria-label='Your watchlists'>{lists.lists.map((list, i) => <ListCard key={list.id} list={list} index={i} count={lists.lists.length} />)}</ol>}
    </section>
  )
}
