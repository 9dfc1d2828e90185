import { useEffect, useRef, useState } from 'preact/hooks'
import type { Profile } from '../../../shared/people.ts'
import { ChatDialog } from '../chat/chat-dialog.tsx'
import { describeRequestError } from '../chat/describe-chat-error.ts'
import { openDirect } from '../chat/room-requests.ts'
import { UserAvatar } from '../chat/user-avatar.tsx'
import { ChatIcon, SearchIcon } from '../ui/icons.tsx'
import { navigate, paths } from '../ui/router.ts'
import { searchPeople, statusShown } from './people-store.ts'

type Results = { status: 'loading' } | { status: 'ready', people: Profile[], nextCursor: string | null } | { status: 'failed', error: string }

/** Find anyone by name and start a direct message; a page at a time, newest query wins. */
export const PeopleDialog = ({ meId, onClose }: { meId: string | undefined, onClose: () => void }) => {
  const [query, setQuery] = useState('')
  const [results, setResults] = useState<Results>({ status: 'loading' })
  const [more, setMore] = useState(false)
  const [actionError, setActionError] = useState<string | null>(null)
  const asked = useRef(0)

  // Typing waits a moment before asking: directory pages are rate limited.
  useEffect(() => {
    const ask = ++asked.current
    const timer = setTimeout(async () => {
      setResults({ status: 'loading' })
      const result = await searchPeople(query.trim(), null)
      if (ask !== asked.current) return
      setResults(result.ok ? { status: 'ready', ...result.data } : { status: 'failed', error: describeRequestError(result.error) })
    }, query === '' ? 0 : 250)
    return () => clearTimeout(timer)
  }, [query])

  const loadMore = async () => {
    if (results.status !== 'ready' || results.nextCursor === null || more) return
    const ask = asked.current
    setMore(true)
    const result = await searchPeople(query.trim(), results.nextCursor)
    setMore(false)
    if (ask !== asked.current) return
    if (result.ok) setResults({ status: 'ready', people: [...results.people, ...result.data.people], nextCursor: result.data.nextCursor })
    else setActionError(describeRequestError(result.error))
  }

  const message = async (person: Profile) => {
    setActionError(null)
    const result = await openDirect(person.username)
    if (!result.ok) {
      setActionError(describeRequestError(result.error))
      return
    }
    onClose()
    navigate(paths.room(result.data.id))
  }

  const now = Date.now()
  return (
    <ChatDialog title='People' description='Find anyone by name and send them a message.' onClose={onClose} size='m'>
      <div class='people-search'>
        <label class='search-box people-search-box'>
          <SearchIcon size={18} />
          <span class='visually-hidden'>Search people</span>
          <input
            type='search'
            class='people-search-input'
            placeholder='Search by name or username'
            value={query}
            maxLength={40}
            autoComplete='off'
            data-autofocus
            onInput={(event) => setQuery(event.currentTarget.value)}
          />
        </label>
        {actionError ? <p class='banner banner-error' role='alert'>{actionError}</p> : null}
        <div class='people-results' aria-live='polite' aria-busy={results.status === 'loading'}>
          {results.status === 'loading'
            ? <p class='people-empty'>Looking…</p>
            : results.status === 'failed'
              ? <p class='banner banner-error' role='alert'>{results.error}</p>
              : results.people.length === 0
                ? <p class='people-empty'>Nobody matches “{query.trim()}”.</p>
                : (
                  <ul class='people-list' aria-label='People found'>
                    {results.people.map((person) => (
                      <li key={person.id} class='people-row'>
                        <UserAvatar user={person} size='s' />
                        <span class='people-names'>
                          <span class='people-name'>{person.displayName || person.username}</span>
                          <span class='people-username'>@{person.username}</span>
                          {statusShown(person, now) ? <span class='people-status'>{person.statusText}</span> : null}
                        </span>
                        {person.id === meId
                          ? <span class='you-tag'>you</span>
                          : (
                            <button type='button' class='button small' aria-label={`Message ${person.displayName || person.username}`} onClick={() => { message(person) }}>
                              <ChatIcon size={16} /> Message
                            </button>
                            )}
                      </li>
                    ))}
                  </ul>
                  )}
          {results.status === 'ready' && results.nextCursor !== null
            ? <button type='button' class='button people-more' aria-disabled={more} onClick={() => { loadMore() }}>{more ? 'Loading…' : 'Show more'}</button>
            : null}
        </div>
      </div>
    </ChatDialog>
  )
}
