import { Type, type TStringOptions } from 'typebox'

/**
 * Text that can be stored as it was sent: no lone surrogate (UTF-8 has no encoding for one, so
 * it would be silently rewritten to U+FFFD) and no NUL (PostgreSQL's text cannot hold one).
 * Patterns are read with the `u` flag, as JSON Schema validators (TypeBox, ajv) do.
 */
const WELL_FORMED = '(?![\\s\\S]*[\\p{Cs}\\u0000])'
/**
 * A character that shows: not white space, a control or format character (zero-width space,
 * joiners, direction marks), a combining mark on its own, or a blank filler (Hangul fillers,
 * the blank Braille pattern).
 */
const VISIBLE = '[^\\p{White_Space}\\p{Cc}\\p{Cf}\\p{Cs}\\p{M}\\u115F\\u1160\\u3164\\uFFA0\\u2800]'

/**
 * One emoji as one grapheme (a flag, a keycap, a pictograph with its skin tone, variation
 * selector, tags or up to four ZWJ parts), or a `:shortcode:` of 1-30 of a-z 0-9 _ + -.
 */
const EMOJI = '(?:\\p{RI}\\p{RI}|[#*0-9]\\uFE0F?\\u20E3|\\p{Extended_Pictographic}(?:\\p{Emoji_Modifier}|\\uFE0F|[\\u{E0020}-\\u{E007E}]+\\u{E007F})?' +
  '(?:\\u200D\\p{Extended_Pictographic}(?:\\p{Emoji_Modifier}|\\uFE0F)?){0,4})'
const SHORTCODE = ':[a-z0-9_+-]{1,30}:'

const TextPatterns = {
  wellFormed: `^${WELL_FORMED}`,
  emoji: `^(?:${EMOJI}|${SHORTCODE})$`,
  visible: `^${WELL_FORMED}[\\s\\S]*?${VISIBLE}`,
  visibleOrEmpty: `^(?:$|${WELL_FORMED}[\\s\\S]*?${VISIBLE})`,
  name: `^(?!.*[\\p{Cc}\\p{Cs}])${VISIBLE}(.*${VISIBLE})?$`
}

/** What the text patterns mean, for error messages (validators only say "must match pattern"). */
export const patternMeanings: Record<string, string> = {
  [TextPatterns.wellFormed]: 'must not contain a lone surrogate (\\ud800-\\udfff) or a NUL (\\u0000)',
  [TextPatterns.visible]: 'must contain a visible character, and no lone surrogate or NUL',
  [TextPatterns.visibleOrEmpty]: 'must be empty or contain a visible character, and no lone surrogate or NUL',
  [TextPatterns.name]: 'must start and end with a visible character, on one line',
  [TextPatterns.emoji]: 'must be one emoji, or a :shortcode: of 1-30 of a-z 0-9 _ + -'
}

/** Well-formed text (see WELL_FORMED); may be empty or blank. */
export const WellFormedText = (options: TStringOptions = {}) => Type.String({ ...options, pattern: TextPatterns.wellFormed })
/** Well-formed text with at least one visible character. */
export const VisibleText = (options: TStringOptions = {}) => Type.String({ ...options, pattern: TextPatterns.visible })
/** Empty, or well-formed text with at least one visible character. */
export const VisibleOrEmptyText = (options: TStringOptions = {}) => Type.String({ ...options, pattern: TextPatterns.visibleOrEmpty })
/** A one-line name: well-formed, no control characters, starting and ending with a visible character. */
export const NameText = (options: TStringOptions = {}) => Type.String({ ...options, pattern: TextPatterns.name })

/** One emoji (a single grapheme) or a `:shortcode:`. */
export const EmojiText = (options: TStringOptions = {}) => Type.String({ ...options, pattern: TextPatterns.emoji })

/** Whether `text` matches the pattern of a shared string schema (for forms that check before sending). */
export const matchesPattern = (schema: object, text: string) => {
  const { pattern } = schema as TStringOptions
  if (pattern === undefined) return true
  // Forms check on every keystroke: each schema's pattern is compiled once.
  let compiled = compiledPatterns.get(schema)
  if (!compiled) compiledPatterns.set(schema, compiled = new RegExp(pattern, 'u'))
  return compiled.test(text)
}
const compiledPatterns = new WeakMap<object, RegExp>()

/** Primitives shared by every feature's schemas. */
export const IdSchema = Type.String({ minLength: 1, maxLength: 64, description: 'an opaque id' })
export const TimestampSchema = Type.Integer({ minimum: 0, description: 'epoch milliseconds' })
export const UsernameSchema = Type.String({
  minLength: 3,
  maxLength: 32,
  pattern: '^[A-Za-z0-9_.-]+$',
  description: '3-32 of A-Z a-z 0-9 _ . -; unique case-insensitively'
})
export const PasswordSchema = Type.String({ minLength: 8, maxLength: 256 })
export const EmptySchema = Type.Object({}, { additionalProperties: false })
