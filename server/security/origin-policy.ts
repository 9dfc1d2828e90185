/**
 * Decides whether a request's Origin may talk to us. Browsers apply no CORS to WebSocket
 * upgrades, so every handshake and every cookie-authenticated write goes through here.
 * The app's own origin (the Origin whose host is the request's Host) is always allowed;
 * a missing Origin is a non-browser client (or a same-origin GET), which carries no ambient cookie risk.
 */
export function createOriginPolicy (allowedOrigins: readonly string[]) {
  const allowed = new Set(allowedOrigins.map((origin) => origin.toLowerCase()))
  return (origin: string | undefined, host: string | undefined) => {
    if (origin === undefined) return true
    const normalized = origin.toLowerCase()
    if (allowed.has(normalized)) return true
    try {
      return host !== undefined && new URL(normalized).host === host.toLowerCase()
    } catch {
      return false
    }
  }
}

export type OriginPolicy = ReturnType<typeof createOriginPolicy>
