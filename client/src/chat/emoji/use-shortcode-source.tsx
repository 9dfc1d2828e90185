import { useState } from 'preact/hooks'
import type { CompletionSource } from '../completion/use-completion.tsx'
import { loadEmojiData, type EmojiData } from './emoji-data.ts'
import { matchEmoji } from './match-emoji.ts'
import { findShortcodeQuery } from './shortcode-query.ts'

const MAX_SUGGESTIONS = 8

/** `:shortcode` completion (typing `:smi` lists matching emoji); the data loads at the first `:` query. */
export const useShortcodeSource = (): CompletionSource => {
  const [data, setData] = useState<EmojiData | null>(null)
  return {
    label: 'Emoji',
    find: findShortcodeQuery,
    prepare: () => { if (data === null) loadEmojiData().then(setData, () => {}) },
    suggest: (query) => data === null
      ? []
      : matchEmoji(data.emojis, query, MAX_SUGGESTIONS).map((emoji) => ({
        key: emoji.emoji,
        text: emoji.emoji,
        content: [
          <span key='emoji' class='emoji-suggestion-emoji' aria-hidden='true'>{emoji.emoji}</span>,
          <span key='code' class='completion-code'>:{emoji.shortcodes[0] ?? emoji.name.replace(/\s+/g, '_')}:</span>
        ]
      }))
  }
}
