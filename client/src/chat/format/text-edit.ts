/**
 * Edits of the composer's text as pure functions: the new text and where the selection goes.
 */
export interface TextEdit {
  text: string
  start: number
  end: number
}

/** Puts `insert` in place of start..end, the caret after it. */
export const replaceRange = (text: string, start: number, end: number, insert: string): TextEdit => {
  const caret = start + insert.length
  return { text: text.slice(0, start) + insert + text.slice(end), start: caret, end: caret }
}

/**
 * Ctrl+B / Ctrl+I / Ctrl+E: wraps the selection in `marker` (white space at its edges stays
 * outside), or unwraps it when it is already wrapped, the markers just outside the selection or
 * at its ends. Nothing selected: a pair of markers with the caret between. Code over several
 * lines becomes a fenced block.
 */
export const toggleMarker = (text: string, start: number, end: number, marker: string): TextEdit => {
  const before = text.slice(0, start)
  const selected = text.slice(start, end)
  const after = text.slice(end)
  const size = marker.length
  if (before.endsWith(marker) && after.startsWith(marker)) {
    return { text: before.slice(0, -size) + selected + after.slice(size), start: start - size, end: end - size }
  }
  if (selected.length >= size * 2 && selected.startsWith(marker) && selected.endsWith(marker)) {
    return { text: before + selected.slice(size, -size) + after, start, end: end - size * 2 }
  }
  if (marker === '`' && selected.includes('\n')) {
    const open = `${before === '' || before.endsWith('\n') ? '' : '\n'}\`\`\`\n`
    const close = `\n\`\`\`${after === '' || after.startsWith('\n') ? '' : '\n'}`
    return { text: before + open + selected + close + after, start: start + open.length, end: end + open.length }
  }
  const lead = /^\s*/.exec(selected)![0]
  const core = selected.trim()
  const trail = core === '' ? '' : /\s*$/.exec(selected)![0]
  const from = start + lead.length + size
  return { text: before + lead + marker + core + marker + trail + after, start: from, end: from + core.length }
}
