/**
 * The emoji the picker and `:shortcode:` completion offer, from emojibase-data (shipped with the
 * app: nothing is fetched from another site). The data (73 KB gzipped, trimmed at build by
 * vite.config.ts) is a chunk of its own, loaded on first use: the main bundle does not carry it.
 */
export interface Emoji {
  emoji: string
  /** The Unicode name, e.g. "grinning face". */
  name: string
  /** GitHub-style shortcodes, e.g. ["grinning"]; the first is the one shown. */
  shortcodes: string[]
  tags: string[]
  group: number
}

export interface EmojiGroup {
  id: number
  name: string
}

export interface EmojiData {
  emojis: Emoji[]
  groups: EmojiGroup[]
}

// emojibase's groups, in its order; "component" (skin tones, hair) is not something to send.
const GROUP_NAMES = ['Smileys & emotion', 'People & body', null, 'Animals & nature', 'Food & drink', 'Travel & places', 'Activities', 'Objects', 'Symbols', 'Flags'] as const

interface CompactEmoji {
  hexcode: string
  label: string
  unicode: string
  group?: number
  order?: number
  tags?: string[]
}

/** Builds the list from emojibase's compact data and its GitHub shortcodes (pure, for tests). */
export const buildEmojiData = (compact: readonly CompactEmoji[], shortcodes: Readonly<Record<string, string | string[]>>): EmojiData => {
  const emojis = compact
    .filter((entry) => entry.group !== undefined && GROUP_NAMES[entry.group] !== null && GROUP_NAMES[entry.group] !== undefined)
    .toSorted((a, b) => (a.order ?? 0) - (b.order ?? 0))
    .map((entry): Emoji => {
      const codes = shortcodes[entry.hexcode] ?? []
      return { emoji: entry.unicode, name: entry.label, shortcodes: typeof codes === 'string' ? [codes] : [...codes], tags: entry.tags ?? [], group: entry.group! }
    })
  const groups = GROUP_NAMES.flatMap((name, id) => name === null ? [] : [{ id, name }])
  return { emojis, groups }
}

let loading: Promise<EmojiData> | null = null

export const loadEmojiData = (): Promise<EmojiData> => {
  loading ??= Promise.all([
    import('emojibase-data/en/compact.json'),
    import('emojibase-data/en/shortcodes/github.json')
  ]).then(([compact, github]) => buildEmojiData(compact.default, github.default))
  loading.catch(() => { loading = null })
  return loading
}
