import { readLinkOrMention, safeHref } from '../split-links.ts'
import type { InlineNode, ParseMeter } from './message-tree.ts'

/*
 * Inline Markdown in one pass, linear in the text: code spans (`code`, ``co`de``), **strong**,
 * *em* or _em_, ***both***, ~~strike~~, [label](http-url), bare http(s) links, @mentions,
 * $CASHTAGS and backslash escapes. A marker that finds no partner stays as the text it was.
 *
 * Emphasis uses a stack of open markers: a closer takes the nearest open marker of its kind and
 * wraps what came after it; markers opened in between stay literal. Each marker is pushed and
 * popped once and each node is moved into its parent once, so no input makes the work quadratic.
 */

/** Deeper nesting than this is not formatting anyone means; it also bounds the tree's depth. */
const MAX_OPEN = 16

// Where something may start: a code or emphasis run, an escape, a bracket, a link or a mention.
const SPECIAL = /[`\\*_~[\]@$]|https?:\/\/|www\./gi
// A link's destination: up to white space, brackets, parentheses or quotes (so reads never overlap).
const DESTINATION = /\]\(([^\s()[\]<>"'`]+)\)/y
const PUNCTUATION = /[!-/:-@[-`{-~]/
const WHITE = /\s/
const WORD = /[\p{L}\p{N}]/u
// A cashtag is upper-case, as symbols are listed: `$acme` and `$5` are prose, not symbols. A
// trailing dot ends the sentence, and a letter or digit right after means it is some other word.
const CASHTAG = /\$([A-Z][A-Z0-9.]{0,9})(?![\p{L}\p{N}_])/uy

interface Opener {
  key: string
  /** The index of its placeholder (a text node holding the marker) in the output. */
  index: number
  alive: boolean
}

const wrap = (key: string, children: InlineNode[]): InlineNode => {
  switch (key) {
    case '~~': return { type: 'strike', children }
    case '**': case '__': return { type: 'strong', children }
    case '***': case '___': return { type: 'strong', children: [{ type: 'em', children }] }
    default: return { type: 'em', children }
  }
}

/** A link's label holds no other link: an inner one is kept as its text. */
const unlink = (nodes: InlineNode[], meter: ParseMeter): InlineNode[] =>
  nodes.flatMap((node) => {
    meter.steps++
    if (node.type === 'link') return node.children
    if (node.type === 'cashtag') return [{ type: 'text', text: node.text }]
    if (node.type === 'strong' || node.type === 'em' || node.type === 'strike') return [{ ...node, children: unlink(node.children, meter) }]
    return [node]
  })

/** Joins neighbouring text nodes (placeholders left literal are text nodes too). */
const tidy = (nodes: InlineNode[]): InlineNode[] => {
  const out: InlineNode[] = []
  for (const node of nodes) {
    const last = out.at(-1)
    if (node.type === 'text' && last?.type === 'text') out[out.length - 1] = { type: 'text', text: last.text + node.text }
    else if ('children' in node) out.push({ ...node, children: tidy(node.children) })
    else if (node.type !== 'text' || node.text !== '') out.push(node)
  }
  return out
}

/** Backtick runs by length, each list in order, with a cursor: finding a closer never goes back. */
const backtickRuns = (text: string) => {
  const byLength = new Map<number, { starts: number[], next: number }>()
  for (const match of text.matchAll(/`+/g)) {
    const runs = byLength.get(match[0].length) ?? { starts: [], next: 0 }
    runs.starts.push(match.index)
    byLength.set(match[0].length, runs)
  }
  return (length: number, after: number): number | null => {
    const runs = byLength.get(length)
    if (!runs) return null
    while (runs.next < runs.starts.length && runs.starts[runs.next]! < after) runs.next++
    return runs.starts[runs.next] ?? null
  }
}

export const parseInline = (text: string, meter: ParseMeter = { steps: 0 }): InlineNode[] => {
  const out: InlineNode[] = []
  const stack: Opener[] = []
  const byKey = new Map<string, Opener[]>()
  const closingRun = backtickRuns(text)
  let plain = ''
  let at = 0

  const flush = () => {
    if (plain !== '') out.push({ type: 'text', text: plain })
    plain = ''
  }
  const push = (node: InlineNode) => {
    flush()
    out.push(node)
  }
  const open = (key: string, marker: string) => {
    flush()
    const opener: Opener = { key, index: out.length, alive: true }
    out.push({ type: 'text', text: marker })
    stack.push(opener)
    const list = byKey.get(key) ?? []
    list.push(opener)
    byKey.set(key, list)
  }
  const nearest = (key: string): Opener | null => {
    const list = byKey.get(key) ?? []
    let top = list.at(-1)
    while (top && !top.alive) {
      list.pop()
      top = list.at(-1)
    }
    return top ?? null
  }
  /** Closes `opener`: markers opened after it stay literal, what followed it becomes its children. */
  const close = (opener: Opener, make: (children: InlineNode[]) => InlineNode) => {
    flush()
    while (stack.length > 0) {
      const top = stack.pop()!
      top.alive = false
      if (top === opener) break
    }
    const children = out.splice(opener.index).slice(1)
    meter.steps += children.length
    out.push(make(children))
  }

  while (at < text.length) {
    meter.steps++
    SPECIAL.lastIndex = at
    const found = SPECIAL.exec(text)
    if (!found) break
    plain += text.slice(at, found.index)
    at = found.index
    const char = text[at]!

    if (char === '\\') {
      const next = text[at + 1]
      if (next !== undefined && PUNCTUATION.test(next)) {
        plain += next
        at += 2
      } else {
        plain += char
        at++
      }
      continue
    }

    if (char === '`') {
      let end = at
      while (text[end] === '`') end++
      const length = end - at
      const closer = closingRun(length, end)
      if (closer === null) {
        plain += text.slice(at, end)
        at = end
        continue
      }
      let code = text.slice(end, closer)
      if (code.length > 2 && code.startsWith(' ') && code.endsWith(' ') && code.trim() !== '') code = code.slice(1, -1)
      push({ type: 'code', text: code })
      at = closer + length
      continue
    }

    if (char === '*' || char === '_' || char === '~') {
      let end = at
      while (text[end] === char) end++
      const run = text.slice(at, end)
      const before = text[at - 1] ?? ' '
      const after = text[end] ?? ' '
      at = end
      const allowed = char === '~' ? run.length === 2 : run.length <= 3
      if (!allowed) {
        plain += run
        continue
      }
      // Flanking, simplified: an opener is followed by a non-space, a closer follows one; `_`
      // never acts inside a word (snake_case_names stay as typed).
      let canOpen = !WHITE.test(after)
      let canClose = !WHITE.test(before)
      if (char === '_') {
        canOpen &&= !WORD.test(before)
        canClose &&= !WORD.test(after)
      }
      const opener = canClose ? nearest(run) : null
      if (opener) close(opener, (children) => wrap(run, children))
      else if (canOpen && stack.length < MAX_OPEN) open(run, run)
      else plain += run
      continue
    }

    if (char === '[') {
      if (stack.length < MAX_OPEN) open('[', '[')
      else plain += char
      at++
      continue
    }

    if (char === ']') {
      DESTINATION.lastIndex = at
      const destination = DESTINATION.exec(text)
      const href = destination ? safeHref(destination[1]!) : null
      const opener = href !== null ? nearest('[') : null
      if (destination && href !== null && opener) {
        // An empty label shows the address, so that the link can be seen.
        close(opener, (children) => ({ type: 'link', href, children: children.length > 0 ? unlink(children, meter) : [{ type: 'text', text: destination[1]! }] }))
        at += destination[0].length
      } else {
        plain += char
        at++
      }
      continue
    }

    if (char === '$') {
      CASHTAG.lastIndex = at
      const match = WORD.test(text[at - 1] ?? ' ') ? null : CASHTAG.exec(text)
      const symbol = match?.[1]!.replace(/\.+$/, '')
      if (symbol) push({ type: 'cashtag', text: `$${symbol}`, symbol })
      else plain += char
      at += symbol ? symbol.length + 1 : 1
      continue
    }

    // A bare link or a mention; when neither, the whole token is text (nothing inside a
    // URL-like word is read as formatting), or the one character when there is no token.
    const { segment, length } = readLinkOrMention(text, at)
    if (segment?.kind === 'link') push({ type: 'link', href: segment.href, children: [{ type: 'text', text: segment.text }] })
    else if (segment?.kind === 'mention') push({ type: 'mention', text: segment.text, username: segment.username })
    else plain += text.slice(at, at + Math.max(length, 1))
    at += Math.max(length, 1)
  }
  plain += text.slice(at)
  flush()
  meter.steps += out.length
  return tidy(out)
}
