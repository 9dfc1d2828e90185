import type { BlockNode, InlineNode, ParseMeter } from './message-tree.ts'
import { parseInline } from './parse-inline.ts'

/*
 * A message's lines as blocks: ``` fenced code (closed by a fence at least as long; an unclosed
 * fence stays text), > quotes (nested up to MAX_QUOTE_DEPTH), - * + bullet lists and 1. or 1)
 * numbered lists (an indented line continues an item), and paragraphs of everything else, whose
 * line breaks are kept. Each line is looked at once per quote level.
 */

const MAX_QUOTE_DEPTH = 3
// Past this many blocks and list items the rest of a message is one paragraph: a thousand
// one-letter list items cost the browser far more to lay out than the same lines as text.
const MAX_BLOCKS = 200

const FENCE = /^ {0,3}(`{3,})[^`]*$/
const QUOTE = /^ {0,3}> ?/
const BULLET = /^ {0,3}[-*+] +(?=\S)/
const NUMBERED = /^ {0,3}(\d{1,9})[.)] +(?=\S)/
const CONTINUATION = /^ {2,}(?=\S)/

const isFenceClose = (line: string, length: number) => {
  const trimmed = line.trim()
  return trimmed.length >= length && /^`+$/.test(trimmed)
}

const parseBlocks = (lines: string[], depth: number, meter: ParseMeter, budget: { blocks: number }): BlockNode[] => {
  const blocks: BlockNode[] = []
  let paragraph: string[] = []
  const endParagraph = () => {
    const text = paragraph.join('\n').replace(/^\n+|\n+$/g, '')
    if (text.trim() !== '') blocks.push({ type: 'paragraph', children: parseInline(text, meter) })
    paragraph = []
  }
  const add = (block: BlockNode) => {
    endParagraph()
    budget.blocks -= block.type === 'list' ? block.items.length : 1
    blocks.push(block)
  }

  let i = 0
  // Once a search for a closing fence failed, no later fence can close either.
  let fencesClose = true
  while (i < lines.length) {
    meter.steps++
    if (budget.blocks <= 0) {
      paragraph.push(...lines.slice(i))
      break
    }
    const line = lines[i]!
    const fence = fencesClose ? FENCE.exec(line) : null
    if (fence) {
      const length = fence[1]!.length
      let end = i + 1
      while (end < lines.length && !isFenceClose(lines[end]!, length)) end++
      meter.steps += end - i
      if (end < lines.length) {
        add({ type: 'code-block', text: lines.slice(i + 1, end).join('\n') })
        i = end + 1
        continue
      }
      fencesClose = false
    }

    if (depth < MAX_QUOTE_DEPTH && QUOTE.test(line)) {
      const quoted: string[] = []
      while (i < lines.length && QUOTE.test(lines[i]!)) quoted.push(lines[i++]!.replace(QUOTE, ''))
      add({ type: 'quote', children: parseBlocks(quoted, depth + 1, meter, budget) })
      continue
    }

    const numbered = NUMBERED.exec(line)
    if (numbered || BULLET.test(line)) {
      const marker = numbered ? NUMBERED : BULLET
      const items: string[][] = []
      while (i < lines.length && items.length < budget.blocks) {
        const item = marker.exec(lines[i]!)
        if (item) items.push([lines[i]!.slice(item[0].length)])
        else if (CONTINUATION.test(lines[i]!)) items.at(-1)!.push(lines[i]!.trim())
        else break
        meter.steps++
        i++
      }
      const parsed: InlineNode[][] = items.map((item) => parseInline(item.join('\n'), meter))
      add({ type: 'list', ordered: numbered !== null, start: numbered ? Number(numbered[1]) : 1, items: parsed })
      continue
    }

    paragraph.push(line)
    i++
  }
  endParagraph()
  return blocks
}

/** The text of a message as a tree of blocks; `meter` counts the work done. */
export const parseMessage = (text: string, meter: ParseMeter = { steps: 0 }): BlockNode[] =>
  parseBlocks(text.split(/\r?\n/), 0, meter, { blocks: MAX_BLOCKS })
