import type { CompletionQuery } from '../completion/use-completion.tsx'

/**
 * The `:shortcode` being typed just before the caret, if any: a colon at the start of the text
 * or after white space or an opening bracket, then at least two of a-z 0-9 _ + -, up to the
 * caret. Times like 10:30 and links like https://x never count.
 */
const QUERY = /(?:^|[\s([{])(:([a-z0-9_+-]{2,32}))$/i

export const findShortcodeQuery = (text: string, caret: number): CompletionQuery | null => {
  const match = QUERY.exec(text.slice(Math.max(0, caret - 40), caret))
  if (!match) return null
  return { start: caret - match[1]!.length, query: match[2]!.toLowerCase() }
}
