import { useEffect, useId, useRef, useState } from 'preact/hooks'
import type { SearchHit } from '../../../../shared/chat.ts'
import { AlertIcon, ArrowLeftIcon, HashIcon, LockIcon, SearchIcon, AtSignIcon } from '../../ui/icons.tsx'
import { ChatDialog } from '../chat-dialog.tsx'
import { formatDateTime, formatDay, formatTime } from '../format-time.ts'
import { shownRoomName } from '../room-names.ts'
import { HighlightedText } from './highlighted-text.tsx'
import { describeSearchError } from './search-results.ts'
import {
  closeSearch, hitContext, jumpToPresent, loadMoreResults, openHit, runSearch, searchResults, searchText, type HitContext
} from './search-store.ts'

/** Typing pauses this long before the query is sent. */
const DEBOUNCE_MS = 250

const FILTERS = [
  ['in:room', 'in a room'],
  ['from:user', 'by someone'],
  ['has:link', 'with a link'],
  ['after:2026-01-31', 'after a day'],
  ['before:2026-02-01', 'before a day']
] as const

const when = (at: number) => `${formatDay(at, Date.now())}, ${formatTime(at)}`

const RoomName = ({ room }: { room: SearchHit['room'] }) => (
  <span class='search-hit-room'>
    {room.visibility === 'direct'
      ? <AtSignIcon size={14} />
      : room.visibility === 'private' ? <LockIcon size={14} /> : <HashIcon size={14} />}
    {shownRoomName(room)}
  </span>
)

const HitRow = ({ hit, terms, id, active, onPick, onPoint }: {
  hit: SearchHit
  terms: readonly string[]
  id: string
  active: boolean
  onPick: () => void
  onPoint: () => void
}) => (
  <li id={id} role='option' class='search-hit' aria-selected={active} onClick={onPick} onPointerMove={onPoint}>
    <div class='search-hit-meta'>
      <RoomName room={hit.room} />
      <span class='search-hit-author'>{hit.message.author.username}</span>
      <time class='search-hit-time' dateTime={new Date(hit.message.createdAt).toISOString()} title={formatDateTime(hit.message.createdAt)}>
        {when(hit.message.createdAt)}
      </time>
    </div>
    <p class='search-hit-text'><HighlightedText text={hit.message.text} terms={terms} /></p>
  </li>
)

const Hint = () => (
  <div class='search-hint'>
    <p>Find messages in every room you can read. Words match the start of words: <code>depl</code> finds “deploying”.</p>
    <p class='search-filters'>
      Narrow it down:
      {FILTERS.map(([filter, meaning]) => <span key={filter}><code>{filter}</code> {meaning}</span>)}
    </p>
  </div>
)

/** A hit too far back to open in its room: the messages around it, read-only. */
const ContextView = ({ context, terms }: { context: HitContext, terms: readonly string[] }) => {
  const { hit } = context
  const listRef = useRef<HTMLOListElement>(null)
  const jumpRef = useRef<HTMLButtonElement>(null)
  useEffect(() => { jumpRef.current?.focus() }, [])
  useEffect(() => {
    listRef.current?.querySelector('[data-hit]')?.scrollIntoView({ block: 'center' })
  }, [context.status])
  return (
    <div class='search-context'>
      <div class='search-context-bar'>
        <button type='button' class='button small ghost' onClick={() => { hitContext.value = null }}>
          <ArrowLeftIcon size={16} />
          Results
        </button>
        <p class='search-context-title'>
          <RoomName room={hit.room} />
          <span>{when(hit.message.createdAt)}</span>
        </p>
        <button type='button' class='button small primary' ref={jumpRef} onClick={() => jumpToPresent(hit.room.id)}>Jump to present</button>
      </div>
      <p class='search-context-note'>This message is too far back to open in the room, so here it is with the messages around it.</p>
      {context.status === 'loading'
        ? <p class='search-status' role='status'><span class='spinner' aria-hidden='true' />Loading the conversation…</p>
        : null}
      {context.status === 'failed'
        ? <p class='banner banner-error' role='alert'><AlertIcon size={18} /><span>{describeSearchError(context.error)}</span></p>
        : null}
      {context.status === 'ready'
        ? (
          <ol class='search-context-list' ref={listRef} aria-label={`Messages around the result in ${shownRoomName(hit.room)}`}>
            {context.messages.map((message) => (
              <li key={message.seq} class='search-context-message' data-hit={message.seq === hit.message.seq ? '' : undefined}>
                <div class='search-hit-meta'>
                  <span class='search-hit-author'>{message.author.username}</span>
                  <time class='search-hit-time' dateTime={new Date(message.createdAt).toISOString()}>{when(message.createdAt)}</time>
                </div>
                <p class='search-hit-text'>
                  {message.deleted
                    ? <em class='search-deleted'>This message was deleted.</em>
                    : <HighlightedText text={message.text} terms={terms} maxLength={Number.POSITIVE_INFINITY} />}
                </p>
              </li>
            ))}
          </ol>
          )
        : null}
    </div>
  )
}

/**
 * The search dialog (Ctrl+K or `/`): a box searched as you type, the hits newest first with
 * their matches marked, paged with "Load more"; arrows move through the hits and Enter opens
 * one. A modal <dialog> (ChatDialog): focus stays inside, Escape closes it, focus goes back.
 */
export const SearchDialog = () => {
  const text = searchText.value
  const results = searchResults.value
  const context = hitContext.value
  const [active, setActive] = useState(0)
  const inputRef = useRef<HTMLInputElement>(null)
  const listId = useId()
  const hintId = useId()
  const optionId = (index: number) => `${listId}-hit-${index}`
  const { hits, status } = results

  // Sent once typing pauses; an answer to an older query is dropped (search-results.ts).
  const pending = useRef<ReturnType<typeof setTimeout>>()
  useEffect(() => {
    pending.current = setTimeout(runSearch, DEBOUNCE_MS)
    return () => clearTimeout(pending.current)
  }, [text])

  // A new query's first page starts at its first hit.
  useEffect(() => { setActive(0) }, [results.query, status])

  useEffect(() => {
    document.getElementById(optionId(active))?.scrollIntoView({ block: 'nearest' })
  }, [active])

  // Back from a hit's context: the box again.
  useEffect(() => { if (!context) inputRef.current?.focus() }, [context])

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.isComposing) return
    if (event.key === 'ArrowDown') {
      event.preventDefault()
      if (active < hits.length - 1) setActive(active + 1)
      else if (results.nextCursor !== null) loadMoreResults()
    } else if (event.key === 'ArrowUp') {
      event.preventDefault()
      setActive(Math.max(0, active - 1))
    } else if (event.key === 'Enter') {
      event.preventDefault()
      const hit = hits[active]
      // The hits on screen answer what is typed: open one. Otherwise search now, not in 250 ms.
      if (status === 'ready' && results.query === text.trim()) {
        if (hit) openHit(hit)
      } else if (status !== 'loading' || results.query !== text.trim()) {
        clearTimeout(pending.current)
        runSearch()
      }
    }
  }

  const stale = status === 'loading'
  const count = hits.length === 0 ? 'No messages' : `${hits.length}${results.nextCursor ? ' or more' : ''} message${hits.length === 1 ? '' : 's'}`
  const announce = status === 'ready' ? `${count} found for “${results.query}”.` : status === 'loading' ? 'Searching…' : ''

  return (
    <ChatDialog title='Search messages' onClose={closeSearch} size='l'>
      <div class='search' data-context={context ? '' : undefined}>
        <div class='search-box'>
          <SearchIcon size={18} />
          <input
            ref={inputRef}
            class='search-input'
            type='text'
            role='combobox'
            aria-label='Search messages'
            aria-expanded={hits.length > 0}
            aria-controls={listId}
            aria-autocomplete='list'
            aria-activedescendant={hits.length > 0 ? optionId(active) : undefined}
            aria-describedby={hintId}
            autoComplete='off'
            spellcheck={false}
            enterKeyHint='search'
            maxLength={200}
            placeholder='Search, or in:room from:user has:link'
            value={text}
            onInput={(event) => {
              searchText.value = event.currentTarget.value
              // Typing again means looking again: back to the results.
              hitContext.value = null
            }}
            onKeyDown={onKeyDown}
          />
          {stale ? <span class='spinner' aria-hidden='true' /> : null}
        </div>
        <p class='visually-hidden' id={hintId}>Up and down arrows move through the results; Enter opens one.</p>
        <p class='visually-hidden' role='status'>{announce}</p>
        {context ? <ContextView context={context} terms={results.terms} /> : null}
        <div class='search-body' hidden={context !== null}>
          {status === 'failed' && results.error
            ? <p class='banner banner-error' role='alert'><AlertIcon size={18} /><span>{describeSearchError(results.error)}</span></p>
            : null}
          {status === 'idle' ? <Hint /> : null}
          {status === 'ready' && hits.length === 0
            ? <p class='search-empty'>No messages match <strong>{results.query}</strong>. Try fewer words, or the start of a word.</p>
            : null}
          <ul id={listId} role='listbox' class='search-hits' aria-label='Results' data-stale={stale ? '' : undefined}>
            {hits.map((hit, index) => (
              <HitRow
                key={hit.message.id}
                hit={hit}
                terms={results.terms}
                id={optionId(index)}
                active={index === active}
                onPick={() => { openHit(hit) }}
                onPoint={() => { if (index !== active) setActive(index) }}
              />
            ))}
          </ul>
          {results.more === 'failed' && results.error
            ? <p class='banner banner-error' role='alert'><AlertIcon size={18} /><span>{describeSearchError(results.error)}</span></p>
            : null}
          {status === 'ready' && results.nextCursor !== null
            ? (
              <button type='button' class='button search-more' aria-disabled={results.more === 'loading'} onClick={loadMoreResults}>
                {results.more === 'loading' ? <span class='spinner' aria-hidden='true' /> : null}
                {results.more === 'loading' ? 'Loading…' : 'Load more'}
              </button>
              )
            : null}
        </div>
        <p class='search-keys' aria-hidden='true'><kbd>↑</kbd><kbd>↓</kbd> move <kbd>Enter</kbd> open <kbd>Esc</kbd> close</p>
      </div>
    </ChatDialog>
  )
}
