/** A database URL fit for messages and logs: the password is left out. */
export function withoutPassword (url: string) {
  // Up to the last @ before the path: a password may hold an @ that was not percent-encoded.
  return url.replace(/^([a-z]+:\/\/[^:@/?#]*):[^/?#]*@/i, '$1@')
}

/** "PostgreSQL at postgres://hubbub@db:5432/hubbub (host db, port 5432)", or "SQLite file ./data/hubbub.db". */
export function describeDatabase (url: string) {
  if (url.startsWith('sqlite:')) return `SQLite file ${url.slice('sqlite:'.length)}`
  const hosts = /^[a-z]+:\/\/(?:[^/?#]*@)?([^/?#]*)/i.exec(url)?.[1] ?? ''
  const where = (hosts || 'localhost').split(',').map((hostPort) => {
    const match = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(hostPort)
    return `host ${match?.[1] || 'localhost'}, port ${match?.[2] ?? 5432}`
  }).join('; ')
  return `PostgreSQL at ${withoutPassword(url)} (${where})`
}

/** What went wrong, on one line: the driver's or the server's message, with its code. */
export function describeFailure (error: unknown) {
  const { message, code } = error as { message?: unknown, code?: unknown }
  const text = String(message ?? error).replace(/\s+/g, ' ').trim()
  return typeof code === 'string' && !text.includes(code) ? `${text} (${code})` : text
}
