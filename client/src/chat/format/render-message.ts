import { h, type ComponentChildren } from 'preact'
import type { BlockNode, InlineNode } from './message-tree.ts'
import { parseMessage } from './parse-message.ts'

// Plain `h` rather than JSX so that unit tests (node, .ts only) can render what the app renders.

/** A `$SYMBOL`'s chip, or null when the symbol is not listed (it stays text). */
export type RenderChip = (symbol: string, key: number, linkTabIndex: number | undefined) => ComponentChildren | null

interface RenderContext {
  myName: string | null
  linkTabIndex: number | undefined
  chip: RenderChip | undefined
}

const renderInline = (nodes: InlineNode[], context: RenderContext): ComponentChildren =>
  nodes.map((node, key) => {
    const { myName, linkTabIndex } = context
    switch (node.type) {
      case 'text':
        return node.text
      case 'code':
        return h('code', { key, class: 'md-code' }, node.text)
      case 'strong':
        return h('strong', { key }, renderInline(node.children, context))
      case 'em':
        return h('em', { key }, renderInline(node.children, context))
      case 'strike':
        return h('s', { key }, renderInline(node.children, context))
      case 'link':
        return h('a', { key, href: node.href, tabIndex: linkTabIndex, target: '_blank', rel: 'noopener noreferrer nofollow', class: 'message-link' }, renderInline(node.children, context))
      case 'cashtag':
        return context.chip?.(node.symbol, key, linkTabIndex) ?? node.text
      default: {
        const me = myName !== null && node.username.toLowerCase() === myName.toLowerCase()
        return h('span', { key, class: 'mention', 'data-me': me ? '' : undefined }, node.text)
      }
    }
  })

const renderBlocks = (blocks: BlockNode[], context: RenderContext): ComponentChildren =>
  blocks.map((block, key) => {
    switch (block.type) {
      case 'paragraph':
        return h('p', { key, class: 'md-p' }, renderInline(block.children, context))
      case 'code-block':
        return h('pre', { key, class: 'md-pre' }, h('code', null, block.text))
      case 'quote':
        return h('blockquote', { key, class: 'md-quote' }, renderBlocks(block.children, context))
      default: {
        const items = block.items.map((item, n) => h('li', { key: n }, renderInline(item, context)))
        return block.ordered
          ? h('ol', { key, class: 'md-list', start: block.start === 1 ? undefined : block.start }, items)
          : h('ul', { key, class: 'md-list' }, items)
      }
    }
  })

/**
 * A message's text as elements built from its Markdown tree: paragraphs, code, quotes, lists,
 * emphasis, http(s) links that open in a new tab without access to this page, and @mentions
 * (one's own marked `data-me`). Text only ever becomes text nodes; never HTML. `linkTabIndex`
 * takes the links out of the Tab order (-1) in a message that does not hold the list's Tab stop.
 * `chip` renders a listed `$SYMBOL`; without it (or for an unknown symbol) the cashtag is text.
 */
export const renderMessage = (text: string, myName: string | null, linkTabIndex?: number, chip?: RenderChip): ComponentChildren =>
  renderBlocks(parseMessage(text), { myName, linkTabIndex, chip })
