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

export const splitLinks = (text: string): TextSegment[] => {
  const segments: TextSegment[] = []
  let plain = ''
  let last = 0
  const flush = () => {
    if (plain !== '') segments.push({ kind: 'text', text: plain })
    plain = ''
  }
  for (const match of text.matchAll(TOKEN)) {
    const index = match.index
    const token = match[0]
    plain += text.slice(last, index)
    last = index + token.length
    if (token.startsWith('@')) {
      const username = token.slice(1).replace(/\.+$/, '')
      if (username.length >= 3) {
        flush()
        segments.push({ kind: 'mention', text: `@${username}`, username })
        plain += token.slice(username.length + 1)
      } else {
        plain += token
      }
      continue
    }
    const url = trimUrl(token)
    const href = safeHref(url)
    if (href === null) {
      plain += token
      continue
    }
    flush()
    segments.push({ kind: 'link', text: url, href })
    plain += token.slice(url.length)
  }
  plain += text.slice(last)
  flush()
  return segments
}
