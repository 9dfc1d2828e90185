/**
 * A message's text cut into plain text, web links and @mentions, for rendering as elements
 * (never as HTML). Only http and https addresses become links, checked with the URL parser,
 * so nothing like `javascript:` or `data:` can ever end up in an href.
 */
export type TextSegment =
  | { kind: 'text', text: string }
  | { kind: 'link', text: string, href: string }
  | { kind: 'mention', text: string, username: string }

// A candidate link: a scheme or "www.", then anything up to white space or a character that
// cannot be in a bare URL. Mentions follow the server's rule (a name of 3-32 allowed characters,
// not preceded by a word character or another @).
const TOKEN = /(?:https?:\/\/|www\.)[^\s<>"'`]+|(?<![\w@])@[A-Za-z0-9_.-]{3,32}/gi
const TRAILING = /[.,;:!?'"*_~]+$/

/** Drops sentence punctuation after a URL, and a closing bracket that opened before it. */
const trimUrl = (candidate: string) => {
  let url = candidate.replace(TRAILING, '')
  for (const [open, close] of [['(', ')'], ['[', ']'], ['{', '}']] as const) {
    while (url.endsWith(close) && url.split(close).length > url.split(open).length) {
      url = url.slice(0, -1).replace(TRAILING, '')
    }
  }
  return url
}

/** The href for a link's text, or null when it is not a plain http(s) address. */
export const safeHref = (text: string): string | null => {
  const withScheme = /^www\./i.test(text) ? `https://${text}` : text
  let url: URL
  try {
    url = new URL(withScheme)
  } catch {
    return null
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null
  if (url.hostname === '' || url.username !== '' || url.password !== '') return null
  return url.href
}

type TokenSegment = Exclude<TextSegment, { kind: 'text' }>

/** The mention or link a TOKEN match starts with, or null when it is neither. */
const toSegment = (token: string): TokenSegment | null => {
  if (token.startsWith('@')) {
    const username = token.slice(1).replace(/\.+$/, '')
    return username.length >= 3 ? { kind: 'mention', text: `@${username}`, username } : null
  }
  // A Markdown link's label may end with a URL: `[see https://a.dev](https://b.dev)`.
  const url = trimUrl(token.split('](')[0]!)
  const href = safeHref(url)
  return href === null ? null : { kind: 'link', text: url, href }
}

const TOKEN_AT = new RegExp(TOKEN.source, 'iy')

/**
 * The link or mention starting exactly at `index`, if any, and how many characters a reader
 * should take as text when there is none there (a whole URL-like token, so nothing inside it is
 * read as anything else). Used by the Markdown parser, which reads a token where it finds one.
 */
export const readLinkOrMention = (text: string, index: number): { segment: TokenSegment | null, length: number } => {
  TOKEN_AT.lastIndex = index
  const token = TOKEN_AT.exec(text)?.[0]
  if (token === undefined) return { segment: null, length: 0 }
  const segment = toSegment(token)
  return { segment, length: segment === null ? token.length : segment.text.length }
}

export const splitLinks = (text: string): TextSegment[] => {
  const segments: TextSegment[] = []
  let plain = ''
  let last = 0
  const flush = () => {
    if (plain !== '') segments.push({ kind: 'text', text: plain })
    plain = ''
  }
  for (const match of text.matchAll(TOKEN)) {
    const token = match[0]
    plain += text.slice(last, match.index)
    last = match.index + token.length
    const segment = toSegment(token)
    if (segment === null) {
      plain += token
      continue
    }
    flush()
    segments.push(segment)
    plain += token.slice(segment.text.length)
  }
  plain += text.slice(last)
  flush()
  return segments
}
