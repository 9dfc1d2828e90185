/**
 * Where a notification's `url` may take the user. Same-site paths stay in the app, http(s) links
 * open in a new tab, anything else (`javascript:`, `data:`, protocol-relative `//host`, ...) is
 * never followed, whatever the server let through.
 */
export type LinkTarget =
  | { kind: 'in-app', path: string }
  | { kind: 'external', href: string }
  | { kind: 'none' }

const NONE: LinkTarget = { kind: 'none' }

const parse = (url: string, base?: string) => {
  try {
    return new URL(url, base)
  } catch {
    return null
  }
}

/** Classifies `url` as seen from a page at `origin` (e.g. `https://hubbub.example`). */
export const classifyLink = (url: string | null, origin: string): LinkTarget => {
  if (!url) return NONE
  // Control characters and backslashes are where parsers disagree (`/\evil.example` is a host to
  // a browser); a link that needs them is not one we follow.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(url)) return NONE
  if (url.startsWith('/')) {
    if (url.startsWith('//')) return NONE
    const parsed = parse(url, origin)
    if (!parsed || parsed.origin !== origin) return NONE
    return { kind: 'in-app', path: parsed.pathname + parsed.search + parsed.hash }
  }
  const parsed = parse(url)
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) return NONE
  // A full link to this very app is still an in-app move.
  if (parsed.origin === origin) return { kind: 'in-app', path: parsed.pathname + parsed.search + parsed.hash }
  return { kind: 'external', href: parsed.href }
}
