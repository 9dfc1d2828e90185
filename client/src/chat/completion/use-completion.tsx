import type { ComponentChildren, RefObject } from 'preact'
import { useId, useState } from 'preact/hooks'
import { applyEdit } from '../format/format-keys.ts'
import { replaceRange } from '../format/text-edit.ts'

/** What is being typed before the caret: where its trigger character is, and what follows it. */
export interface CompletionQuery {
  start: number
  query: string
}

export interface CompletionItem {
  key: string
  /** What replaces the trigger and the query. */
  text: string
  content: ComponentChildren
}

/** One kind of completion (emoji, mentions): how to find its query and what it suggests. */
export interface CompletionSource {
  /** The list's accessible name. */
  label: string
  find: (text: string, caret: number) => CompletionQuery | null
  suggest: (query: string) => readonly CompletionItem[]
  /** Called when a query of this source appears, before any suggestion is asked for (lazy data). */
  prepare?: () => void
}

interface ActiveQuery extends CompletionQuery {
  source: CompletionSource
}

/**
 * Completion for a text field from several sources: the first source whose query is at the caret
 * lists its suggestions under the field; ArrowUp/ArrowDown choose, Enter or Tab insert, a click
 * inserts, Escape closes (until the next query starts elsewhere). The field keeps the focus
 * throughout (the list is its `aria-activedescendant`).
 */
export const useCompletion = (fieldRef: RefObject<HTMLTextAreaElement>, sources: readonly CompletionSource[]) => {
  const [query, setQuery] = useState<ActiveQuery | null>(null)
  const [dismissedAt, setDismissedAt] = useState<number | null>(null)
  const [active, setActive] = useState(0)
  const id = useId()

  // The source objects may be new on every render; the query keeps its own by label.
  const source = query ? sources.find((candidate) => candidate.label === query.source.label) ?? null : null
  const items = source && query && query.start !== dismissedAt ? source.suggest(query.query) : []
  const open = items.length > 0

  /** Re-reads the query at the caret: after input, caret moves and clicks. */
  const refresh = () => {
    const field = fieldRef.current
    let next: ActiveQuery | null = null
    if (field && field.selectionStart === field.selectionEnd) {
      for (const candidate of sources) {
        const found = candidate.find(field.value, field.selectionStart)
        if (found) { next = { ...found, source: candidate }; break }
      }
    }
    if (next?.start !== query?.start || next?.query !== query?.query) setActive(0)
    if (next === null) setDismissedAt(null)
    else next.source.prepare?.()
    setQuery(next)
  }

  const insert = (item: CompletionItem) => {
    const field = fieldRef.current
    if (!field || !query) return
    applyEdit(field, replaceRange(field.value, query.start, field.selectionStart, item.text))
    setQuery(null)
  }

  /** Handles the keys the list owns while it is open; true when the event was used. */
  const onKeyDown = (event: KeyboardEvent): boolean => {
    if (!open || event.isComposing) return false
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      setActive((active + (event.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length)
    } else if ((event.key === 'Enter' && !event.shiftKey) || event.key === 'Tab') {
      insert(items[active] ?? items[0]!)
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
      <ul class='completion-list' id={`${id}-list`} role='listbox' aria-label={source!.label}>
        {items.map((item, index) => (
          <li
            key={item.key}
            id={`${id}-${index}`}
            role='option'
            class='completion-option'
            aria-selected={index === active}
            // The field keeps the focus (and its caret) when an option is clicked.
            onPointerDown={(event) => event.preventDefault()}
            onClick={() => insert(item)}
          >
            {item.content}
          </li>
        ))}
      </ul>
      )
    : null

  return { onKeyDown, refresh, close: () => setQuery(null), fieldProps, list }
}
