import { useEffect, useId, useLayoutEffect, useRef, useState } from 'preact/hooks'
import { SmileIcon } from '../../ui/icons.tsx'
import { useClickOutside } from '../../ui/use-click-outside.ts'
import { loadEmojiData, type Emoji, type EmojiData } from './emoji-data.ts'
import { matchEmoji } from './match-emoji.ts'

const COLUMNS = 8
const MAX_RESULTS = 160

const label = (emoji: Emoji) => emoji.shortcodes[0] ? `${emoji.name} (:${emoji.shortcodes[0]}:)` : emoji.name

/** Where arrow keys move in a grid of `count` cells, `COLUMNS` wide; null for other keys. */
const moveInGrid = (key: string, index: number, count: number): number | null => {
  const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: COLUMNS, ArrowUp: -COLUMNS }[key]
  if (key === 'Home') return 0
  if (key === 'End') return count - 1
  if (step === undefined) return null
  return Math.min(count - 1, Math.max(0, index + step))
}

interface PanelProps {
  onPick: (emoji: string) => void
  onClose: () => void
}

/**
 * The picker's panel: a search field, a tab per category and a grid of the category's emoji (or
 * of the search's matches). Arrow keys move in the grid (from the field, ArrowDown enters it),
 * Enter picks, Escape closes; typing while in the grid goes back to the field.
 */
const EmojiPanel = ({ onPick, onClose }: PanelProps) => {
  const [data, setData] = useState<EmojiData | null>(null)
  const [failed, setFailed] = useState(false)
  const [query, setQuery] = useState('')
  const [group, setGroup] = useState(0)
  const [active, setActive] = useState(0)
  const searchRef = useRef<HTMLInputElement>(null)
  const gridRef = useRef<HTMLDivElement>(null)
  const id = useId()

  useEffect(() => {
    let live = true
    loadEmojiData().then((loaded) => { if (live) setData(loaded) }, () => { if (live) setFailed(true) })
    return () => { live = false }
  }, [])
  useLayoutEffect(() => searchRef.current?.focus(), [])

  const shown = data === null
    ? []
    : query.trim() !== ''
      ? matchEmoji(data.emojis, query, MAX_RESULTS)
      : data.emojis.filter((emoji) => emoji.group === group)

  const focusCell = (index: number) => {
    setActive(index)
    gridRef.current?.querySelectorAll<HTMLButtonElement>('button')[index]?.focus()
  }

  const onSearchKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' && shown.length > 0) {
      event.preventDefault()
      focusCell(0)
    } else if (event.key === 'Enter') {
      event.preventDefault()
      if (shown[0]) onPick(shown[0].emoji)
    }
  }

  const onGridKeyDown = (event: KeyboardEvent) => {
    const next = moveInGrid(event.key, active, shown.length)
    if (next !== null) {
      event.preventDefault()
      if (event.key === 'ArrowUp' && active < COLUMNS) searchRef.current?.focus()
      else focusCell(next)
    } else if (event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey && event.key !== ' ') {
      searchRef.current?.focus()
    }
  }

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault()
      event.stopPropagation()
      onClose()
    }
  }

  const groupName = data?.groups.find((entry) => entry.id === group)?.name ?? ''
  return (
    <div class='emoji-panel' role='dialog' aria-label='Emoji' onKeyDown={onKeyDown}>
      <input
        ref={searchRef}
        class='emoji-search'
        type='search'
        placeholder='Search emoji'
        aria-label='Search emoji'
        aria-controls={`${id}-grid`}
        value={query}
        onInput={(event) => { setQuery(event.currentTarget.value); setActive(0) }}
        onKeyDown={onSearchKeyDown}
      />
      {data && query.trim() === ''
        ? (
          <div class='emoji-tabs' role='tablist' aria-label='Categories'>
            {data.groups.map((entry) => (
              <button
                key={entry.id}
                type='button'
                role='tab'
                class='emoji-tab'
                aria-selected={entry.id === group}
                aria-controls={`${id}-grid`}
                title={entry.name}
                aria-label={entry.name}
                onClick={() => { setGroup(entry.id); setActive(0) }}
              >
                {data.emojis.find((emoji) => emoji.group === entry.id)?.emoji}
              </button>
            ))}
          </div>
          )
        : null}
      <div
        ref={gridRef}
        id={`${id}-grid`}
        class='emoji-grid'
        role='group'
        aria-label={query.trim() !== '' ? 'Search results' : groupName}
        onKeyDown={onGridKeyDown}
      >
        {shown.map((emoji, index) => (
          <button
            key={emoji.emoji}
            type='button'
            class='emoji-cell'
            tabIndex={index === active ? 0 : -1}
            aria-label={label(emoji)}
            title={label(emoji)}
            onClick={() => onPick(emoji.emoji)}
            onFocus={() => setActive(index)}
          >
            {emoji.emoji}
          </button>
        ))}
        {failed
          ? <p class='emoji-empty'>Emoji could not be loaded.</p>
          : data === null
            ? <p class='emoji-empty'>Loading emoji…</p>
            : shown.length === 0 ? <p class='emoji-empty'>No emoji match “{query.trim()}”.</p> : null}
      </div>
    </div>
  )
}

/** The composer's emoji button and its panel; `onPick` inserts the emoji where the caret is. */
export const EmojiPicker = ({ onPick, onClosed }: { onPick: (emoji: string) => void, onClosed: () => void }) => {
  const [open, setOpen] = useState(false)
  const rootRef = useRef<HTMLDivElement>(null)

  useClickOutside(rootRef, open, () => setOpen(false))

  const close = () => {
    setOpen(false)
    onClosed()
  }

  return (
    <div class='emoji-picker' ref={rootRef}>
      <button
        type='button'
        class='chat-icon-button composer-emoji'
        aria-label='Emoji'
        title='Emoji'
        aria-haspopup='dialog'
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        <SmileIcon size={20} />
      </button>
      {open ? <EmojiPanel onPick={(emoji) => { onPick(emoji); setOpen(false) }} onClose={close} /> : null}
    </div>
  )
}
