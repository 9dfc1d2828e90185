/**
 * A message's text as a tree of the Markdown subset Hubbub renders: blocks (paragraphs, code
 * blocks, quotes, lists) holding inline nodes. Views build elements from it; there is no HTML
 * anywhere in it, and every link's href has been checked to be http(s).
 */
export type InlineNode =
  | { type: 'text', text: string }
  | { type: 'code', text: string }
  | { type: 'strong' | 'em' | 'strike', children: InlineNode[] }
  | { type: 'link', href: string, children: InlineNode[] }
  | { type: 'mention', text: string, username: string }
  /** `$ACME`: a chip when the symbol is listed, its text otherwise (the renderer decides). */
  | { type: 'cashtag', text: string, symbol: string }

export type BlockNode =
  | { type: 'paragraph', children: InlineNode[] }
  | { type: 'code-block', text: string }
  | { type: 'quote', children: BlockNode[] }
  | { type: 'list', ordered: boolean, start: number, items: InlineNode[][] }

/** Counts the parser's work, so tests can prove it stays proportional to the text. */
export interface ParseMeter {
  steps: number
}
