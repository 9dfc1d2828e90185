import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Compile } from 'typebox/compile'
import { chatCommands, REACTION_MAX_LENGTH, ReactionEmojiSchema } from '../../shared/chat.ts'
import { describeSchemaError } from '../../server/validation.ts'

describe('ReactionEmojiSchema', () => {
  const check = Compile(ReactionEmojiSchema)

  it('accepts one emoji grapheme of every shape, and short shortcodes', () => {
    for (const emoji of [
      '👍', '❤️', '❤', '😂', '🎉', '👍🏽', '🇫🇷', '1️⃣', '#⃣', '©️', '👩‍💻', '👨‍👩‍👧‍👦', '🏳️‍🌈', '🏴󠁧󠁢󠁥󠁮󠁧󠁿', '🫶🏿',
      ':thumbsup:', ':+1:', ':party_parrot:', ':a:'
    ]) {
      assert.equal(check.Check(emoji), true, `expected ${JSON.stringify(emoji)} accepted`)
    }
  })

  it('refuses text, several emoji, lone parts and over-long tokens', () => {
    for (const text of [
      '', 'a', 'ok', '1', ' 👍', '👍 ', '👍👍', '👍a', '🇫', '\u200d', '\ufe0f', '🏽', 'a\u20e3', '<b>',
      '::', ':Thumbs:', ':with space:', `:${'a'.repeat(31)}:`, 'x'.repeat(REACTION_MAX_LENGTH + 1), '\ud83d'
    ]) {
      assert.equal(check.Check(text), false, `expected ${JSON.stringify(text)} refused`)
    }
  })

  it('says what an emoji must be when one is refused', () => {
    const [error] = Compile(chatCommands['chat:react'].payload).Errors({ messageId: 'm', emoji: 'lol' })
    assert.equal(describeSchemaError(error), 'emoji: must be one emoji, or a :shortcode: of 1-30 of a-z 0-9 _ + -')
  })
})
