import type { RefObject } from 'preact'
import { useEffect, useId, useState } from 'preact/hooks'
import { applyEdit } from '../format/format-keys.ts'
import { replaceRange } from '../format/text-edit.ts'
import { loadEmojiData, type Emoji, type EmojiData } from './emoji-data.ts'
import { matchEmoji } from './match-emoji.ts'
import { findShortcodeQuery, type ShortcodeQuery } from './shortcode-query.ts'

const MAX_SUGGESTIONS = 8

/**
 * `:shortcode` completion for a text field: typing `:smi` lists matching emoji under the field;
 * ArrowUp/ArrowDown choose, Enter or Tab insert, Escape closes (until the next `:`). The field
 * keeps the focus throughout (the list is its `aria-activedescendant`).
 */
export const useShortcodeCompletion = (fieldRef: RefObject<HTMLTextAreaElement>) => {
  const [data, setData] = useState<EmojiData | null>(null)
  const [query, setQuery] = useState<ShortcodeQuery | null>(null)
  const [dismissedAt, setDismissedAt] = useState<number | null>(null)
  const [active, setActive] = useState(0)
  const id = useId()

  // The data loads when a `:` query first appears, not before.
  useEffect(() => {
    if (query === null || data !== null) return
    let live = true
    loadEmojiData().then((loaded) => { if (live) setData(loaded) }, () => {})
    return () => { live = false }
  }, [query !== null, data])

  const matches: Emoji[] = data && query && query.start !== dismissedAt ? matchEmoji(data.emojis, query.query, MAX_SUGGESTIONS) : []
  const open = matches.length > 0

  /** Re-reads the query at the caret: after input, caret moves and clicks. */
  const refresh = () => {
    const field = fieldRef.current
    const next = field && field.selectionStart === field.selectionEnd ? findShortcodeQuery(field.value, field.selectionStart) : null
    if (next?.start !== query?.start || next?.query !== query?.query) setActive(0)
    if (next === null) setDismissedAt(null)
    setQuery(next)
  }

  const insert = (emoji: Emoji) => {
    const field = fieldRef.current
    if (!field || !query) return
    applyEdit(field, replaceRange(field.value, query.start, field.selectionStart, emoji.emoji))
    setQuery(null)
  }

  /** Handles the keys the list owns while it is open; true when the event was used. */
  const onKeyDown = (event: KeyboardEvent): boolean => {
    if (!open || event.isComposing) return false
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      setActive((active + (event.key === 'ArrowDown' ? 1 : -1) + matches.length) % matches.length)
    } else if ((event.key === 'Enter' && !event.shiftKey) || event.key === 'Tab') {
      insert(matches[active] ?? matches[0]!)
    } else if (event.key === 'Escape') {
      setDismissedAt(query!.start)
    } else {
      return false
    }
    event.preventDefault()
    event.stopPropagation()
    return true
  }

  // The field stays a textbox (with a list it controls while open), as screen readers expect of
  // a message field.
  const fieldProps = {
    'aria-autocomplete': 'list',
    'aria-controls': open ? `${id}-list` : undefined,
    'aria-activedescendant': open ? `${id}-${active}` : undefined
  } as const

  const list = open
    ? (
      <ul class='emoji-suggestions' id={`${id}-list`} role='listbox' aria-label='Emoji'>
        {matches.map((emoji, index) => (
          <li
            key={emoji.emoji}
            id={`${id}-${index}`}
            role='option'
            class='emoji-suggestion'
            aria-selected={index === active}
            // The field keeps the focus (and its caret) when an option is clicked.
            onPointerDown={(event) => event.preventDefault()}
            onClick={() => insert(emoji)}
          >
            <span class='emoji-suggestion-emoji' aria-hidden='true'>{emoji.emoji}</span>
            <span class='emoji-suggestion-code'>:{emoji.shortcodes[0] ?? emoji.name.replace(/\s+/g, '_')}:</span>
          </li>
        ))}
      </ul>
      )
    : null

  return { onKeyDown, refresh, close: () => setQuery(null), fieldProps, list }
}
