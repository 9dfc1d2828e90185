import { isNotificationUrl } from '../../../shared/notifications.ts'

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

/** Classifies `url` as seen from a page at `origin` (e.g. `https://hubbub.example`). */
export const classifyLink = (url: string | null, origin: string): LinkTarget => {
  // The protocol's rule, the one the server stores by: a same-site path or an http(s) URL with a host.
  if (!url || !isNotificationUrl(url)) return NONE
  const parsed = new URL(url, origin)
  // A path, or a full link to this very app, is an in-app move.
  if (parsed.origin === origin) return { kind: 'in-app', path: parsed.pathname + parsed.search + parsed.hash }
  return { kind: 'external', href: parsed.href }
}
