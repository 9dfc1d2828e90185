import { toggleMarker, type TextEdit } from './text-edit.ts'

const MARKERS: Record<string, string> = { b: '**', i: '_', e: '`' }

/** The edit for Ctrl/Cmd+B (bold), +I (italic) or +E (code) in `area`, or null for other keys. */
export const formatKeyEdit = (event: KeyboardEvent, area: HTMLTextAreaElement): TextEdit | null => {
  if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return null
  const marker = MARKERS[event.key.toLowerCase()]
  return marker === undefined ? null : toggleMarker(area.value, area.selectionStart, area.selectionEnd, marker)
}

/**
 * Applies an edit to the field as typing would: only the changed span goes through the
 * browser's editing, so Ctrl+Z undoes it; the field fires `input` as for typing.
 */
export const applyEdit = (area: HTMLTextAreaElement, edit: TextEdit) => {
  const old = area.value
  let from = 0
  while (from < old.length && from < edit.text.length && old[from] === edit.text[from]) from++
  let tail = 0
  while (tail < old.length - from && tail < edit.text.length - from && old[old.length - 1 - tail] === edit.text[edit.text.length - 1 - tail]) tail++
  area.focus()
  area.setSelectionRange(from, old.length - tail)
  if (!document.execCommand('insertText', false, edit.text.slice(from, edit.text.length - tail))) {
    area.value = edit.text
    area.dispatchEvent(new Event('input', { bubbles: true }))
  }
  area.setSelectionRange(edit.start, edit.end)
}
