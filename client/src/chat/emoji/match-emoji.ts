import type { Emoji } from './emoji-data.ts'

/*
 * Finding emoji by what one types: `smi` finds :smile: and :smiley: first (shortcodes starting
 * with it), then shortcodes with a later word starting with it (:slightly_smiling_face:), then
 * names and tags with a word starting with it, then anything containing it. Within a rank,
 * emojibase's order (the picker's order) decides.
 */

const rank = (emoji: Emoji, query: string): number => {
  let best = Infinity
  for (const code of emoji.shortcodes) {
    if (code === query) return 0
    if (code.startsWith(query)) best = Math.min(best, 1)
    else if (code.includes(`_${query}`)) best = Math.min(best, 2)
    else if (code.includes(query)) best = Math.min(best, 5)
  }
  if (best <= 2) return best
  const words = [...emoji.name.toLowerCase().split(/[\s:,-]+/), ...emoji.tags]
  if (words.some((word) => word === query)) return 3
  if (words.some((word) => word.startsWith(query))) return 4
  if (best === 5 || emoji.name.toLowerCase().includes(query)) return 5
  return Infinity
}

/** The emoji that match `query` (any case, spaces as `_`), best first, at most `limit`. */
export const matchEmoji = (emojis: readonly Emoji[], query: string, limit = Infinity): Emoji[] => {
  const wanted = query.trim().toLowerCase().replace(/\s+/g, '_')
  if (wanted === '') return emojis.slice(0, limit)
  const ranked: { emoji: Emoji, rank: number, index: number }[] = []
  emojis.forEach((emoji, index) => {
    const value = rank(emoji, wanted)
    if (value !== Infinity) ranked.push({ emoji, rank: value, index })
  })
  return ranked
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .slice(0, limit)
    .map((entry) => entry.emoji)
}
