import { highlightRanges } from '../../../../shared/search.ts'

/** A piece of a search hit's text: `match` pieces are the starts of words the query matched. */
export interface SnippetSegment {
  text: string
  match: boolean
}

/** How much of a long message a result shows, around its first match. */
export const SNIPPET_LENGTH = 240
/** Text kept before the first match, so the match is read in its sentence. */
const LEAD = 60

/**
 * A hit's text cut into plain and matched pieces (rendered as text and <mark>, never HTML). A
 * text longer than `maxLength` is cut to a window around its first match, at word boundaries
 * where it can be, with an ellipsis on each cut side.
 */
export const searchSnippet = (text: string, terms: readonly string[], maxLength = SNIPPET_LENGTH): SnippetSegment[] => {
  const ranges = highlightRanges(text, terms)
  let from = 0
  let to = text.length
  if (text.length > maxLength) {
    const first = ranges[0]?.[0] ?? 0
    from = Math.max(0, Math.min(first - LEAD, text.length - maxLength))
    // Start at a word when one begins near the cut (never after the match).
    const space = text.indexOf(' ', from)
    if (from > 0 && space !== -1 && space < from + 20 && space < first) from = space + 1
    to = Math.min(text.length, from + maxLength)
    const lastSpace = text.lastIndexOf(' ', to)
    if (to < text.length && lastSpace > to - 20 && lastSpace > from) to = lastSpace
  }
  const segments: SnippetSegment[] = []
  const push = (piece: string, match: boolean) => { if (piece) segments.push({ text: piece, match }) }
  if (from > 0) push('…', false)
  let at = from
  for (const [start, end] of ranges) {
    if (end <= from || start >= to) continue
    push(text.slice(at, Math.max(at, start)), false)
    push(text.slice(Math.max(at, start), Math.min(end, to)), true)
    at = Math.min(end, to)
  }
  push(text.slice(at, to), false)
  if (to < text.length) push('…', false)
  return segments
}
