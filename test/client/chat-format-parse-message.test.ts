import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { BlockNode, InlineNode } from '../../client/src/chat/format/message-tree.ts'
import { parseMessage } from '../../client/src/chat/format/parse-message.ts'

const text = (value: string): InlineNode => ({ type: 'text', text: value })
const cashtag = (symbol: string): InlineNode => ({ type: 'cashtag', text: `$${symbol}`, symbol })
/** The inline nodes of a message that is one paragraph. */
const inline = (message: string): InlineNode[] => {
  const blocks = parseMessage(message)
  assert.equal(blocks.length, 1, `expected one block, saw ${JSON.stringify(blocks)}`)
  assert.equal(blocks[0]!.type, 'paragraph', `expected a paragraph, saw ${JSON.stringify(blocks)}`)
  return blocks[0]!.type === 'paragraph' ? blocks[0]!.children : []
}
/** Everything a reader sees, markers that stayed literal included. */
const plain = (nodes: InlineNode[]): string => nodes.map((node) => 'children' in node ? plain(node.children) : node.text).join('')

describe('parseMessage: inline formatting', () => {
  it('reads bold, italic, strike and inline code', () => {
    assert.deepEqual(inline('**bold**'), [{ type: 'strong', children: [text('bold')] }])
    assert.deepEqual(inline('__bold__'), [{ type: 'strong', children: [text('bold')] }])
    assert.deepEqual(inline('*it*'), [{ type: 'em', children: [text('it')] }])
    assert.deepEqual(inline('_it_'), [{ type: 'em', children: [text('it')] }])
    assert.deepEqual(inline('~~gone~~'), [{ type: 'strike', children: [text('gone')] }])
    assert.deepEqual(inline('`a *b* c`'), [{ type: 'code', text: 'a *b* c' }])
    assert.deepEqual(inline('``a ` b``'), [{ type: 'code', text: 'a ` b' }])
    assert.deepEqual(inline('***both***'), [{ type: 'strong', children: [{ type: 'em', children: [text('both')] }] }])
  })

  it('reads [label](url) links and bare links, with http(s) hrefs only', () => {
    assert.deepEqual(inline('[the docs](https://example.com/docs)'), [{ type: 'link', href: 'https://example.com/docs', children: [text('the docs')] }])
    assert.deepEqual(inline('see https://example.com.'), [text('see '), { type: 'link', href: 'https://example.com/', children: [text('https://example.com')] }, text('.')])
    assert.deepEqual(inline('[x](javascript:alert(1))'), [text('[x](javascript:alert(1))')])
    assert.deepEqual(inline('[x](ftp://example.com)'), [text('[x](ftp://example.com)')])
  })

  it('reads @mentions and $SYMBOL cashtags', () => {
    assert.deepEqual(inline('$AAPL up, @bob_1.'), [cashtag('AAPL'), text(' up, '), { type: 'mention', text: '@bob_1', username: 'bob_1' }, text('.')])
    assert.deepEqual(inline('**$TSLA** @carol'), [{ type: 'strong', children: [cashtag('TSLA')] }, text(' '), { type: 'mention', text: '@carol', username: 'carol' }])
  })

  it('nests formatting, with mentions and links inside', () => {
    assert.deepEqual(inline('**bold _and it_ @alice https://x.dev/a_b_c**'), [{
      type: 'strong',
      children: [
        text('bold '), { type: 'em', children: [text('and it')] }, text(' '),
        { type: 'mention', text: '@alice', username: 'alice' }, text(' '),
        { type: 'link', href: 'https://x.dev/a_b_c', children: [text('https://x.dev/a_b_c')] }
      ]
    }])
    assert.deepEqual(inline('[**bold** link](https://x.dev)'), [{ type: 'link', href: 'https://x.dev/', children: [{ type: 'strong', children: [text('bold')] }, text(' link')] }])
    assert.deepEqual(inline('~~*a* `b`~~'), [{ type: 'strike', children: [{ type: 'em', children: [text('a')] }, text(' '), { type: 'code', text: 'b' }] }])
  })

  it('shows the address of a link with an empty label', () => {
    assert.deepEqual(inline('[](https://x.dev/a)'), [{ type: 'link', href: 'https://x.dev/a', children: [text('https://x.dev/a')] }])
  })

  it('never puts a link inside a link', () => {
    assert.deepEqual(inline('[see https://a.dev](https://b.dev)'), [{ type: 'link', href: 'https://b.dev/', children: [text('see https://a.dev')] }])
  })

  it('leaves unclosed and unmatched markers literal', () => {
    for (const message of ['**bold', '*it', '_it', '~~s', '`code', '``code`', '[label](https://x.dev', 'a ** b ** c', '~single~', '****', '*a **b* c**', '2 * 3 * 4']) {
      assert.equal(plain(inline(message)), message.replace(/^\*a \*\*b\* c\*\*$/, 'a **b c**'), `${message} -> ${JSON.stringify(inline(message))}`)
    }
    assert.deepEqual(inline('**bold'), [text('**bold')])
    assert.deepEqual(inline('*a **b* c**'), [{ type: 'em', children: [text('a **b')] }, text(' c**')])
  })

  it('keeps snake_case and escaped markers as typed', () => {
    assert.deepEqual(inline('snake_case_name'), [text('snake_case_name')])
    assert.deepEqual(inline('\\*not it\\* \\`x\\`'), [text('*not it* `x`')])
    assert.deepEqual(inline('C:\\dir'), [text('C:\\dir')])
  })
})

describe('parseMessage: blocks', () => {
  it('reads fenced code without reading anything inside it', () => {
    assert.deepEqual(parseMessage('```js\nconst a = **b**\n  <b>x</b>\n```'), [{ type: 'code-block', text: 'const a = **b**\n  <b>x</b>' }])
  })

  it('leaves an unclosed fence as text', () => {
    assert.deepEqual(parseMessage('```\nnot code'), [{ type: 'paragraph', children: [text('```\nnot code')] }])
  })

  it('reads quotes, nested quotes and formatting inside them', () => {
    assert.deepEqual(parseMessage('> said **this**\n>> and that\nreply'), [
      { type: 'quote', children: [{ type: 'paragraph', children: [text('said '), { type: 'strong', children: [text('this')] }] }, { type: 'quote', children: [{ type: 'paragraph', children: [text('and that')] }] }] },
      { type: 'paragraph', children: [text('reply')] }
    ] satisfies BlockNode[])
  })

  it('reads bullet and numbered lists, with continuation lines', () => {
    assert.deepEqual(parseMessage('- one\n* *two*\n  more\n3. three\n4) four'), [
      { type: 'list', ordered: false, start: 1, items: [[text('one')], [{ type: 'em', children: [text('two')] }, text('\nmore')]] },
      { type: 'list', ordered: true, start: 3, items: [[text('three')], [text('four')]] }
    ] satisfies BlockNode[])
  })

  it('keeps line breaks and lines that only look like markers', () => {
    assert.deepEqual(parseMessage('line one\nline two\n\n-5 degrees\n#general'), [{ type: 'paragraph', children: [text('line one\nline two\n\n-5 degrees\n#general')] }])
  })

  it('stops making blocks after 200 (blocks and list items): the rest is one paragraph', () => {
    const blocks = parseMessage('- item\n'.repeat(300).trim())
    assert.equal(blocks.length, 2)
    assert.equal(blocks[0]!.type === 'list' && blocks[0]!.items.length, 200)
    assert.deepEqual(blocks[1], { type: 'paragraph', children: [text('- item\n'.repeat(100).trim())] })
  })

  it('bounds quote nesting: deeper markers stay text', () => {
    const blocks = parseMessage('>>>>>> deep')
    let depth = 0
    let node: BlockNode | undefined = blocks[0]
    while (node?.type === 'quote') {
      depth++
      node = node.children[0]
    }
    assert.equal(depth, 3)
    assert.deepEqual(node, { type: 'paragraph', children: [text('>>> deep')] })
  })
})

describe('parseMessage: work stays proportional to the text', () => {
  const pathological = {
    stars: '*'.repeat(4000),
    'star pairs': '* '.repeat(2000),
    'nested runs': '**_~~'.repeat(800),
    'nested runs closed': '**_~~x'.repeat(400) + '~~_**'.repeat(400),
    backticks: '`'.repeat(4000),
    'backtick runs': Array.from({ length: 400 }, (_, i) => '`'.repeat(i % 20 + 1)).join('a').slice(0, 4000),
    brackets: '[]('.repeat(1333),
    'link openers': '['.repeat(2000) + '](https://x.dev)'.repeat(125),
    fences: '```\n'.repeat(1000),
    quotes: '>'.repeat(4000),
    'list lines': '- a\n'.repeat(1000),
    escapes: '\\*'.repeat(2000),
    mentions: '@abc'.repeat(1000),
    underscores: '_a'.repeat(2000)
  }
  for (const [name, message] of Object.entries(pathological)) {
    it(`parses ${name} (${message.length} characters) in at most 10 steps a character`, () => {
      const meter = { steps: 0 }
      parseMessage(message, meter)
      assert.ok(meter.steps <= message.length * 10, `expected at most ${message.length * 10} steps, counted ${meter.steps}`)
    })
  }

  it('never nests deeper than its limit', () => {
    const depth = (nodes: InlineNode[]): number => Math.max(0, ...nodes.map((node) => 'children' in node ? 1 + depth(node.children) : 0))
    assert.ok(depth(inline('**_~~'.repeat(200) + 'x' + '~~_**'.repeat(200))) <= 16)
  })
})

describe('parseMessage: $SYMBOL cashtags', () => {
  it('reads a cashtag whatever the punctuation around it, and leaves the sentence\'s dot out', () => {
    assert.deepEqual(inline('watch $ACME and $NOPE.'), [text('watch '), cashtag('ACME'), text(' and '), cashtag('NOPE'), text('.')])
    assert.deepEqual(inline('($ACME, $BRK.B!)'), [text('('), cashtag('ACME'), text(', '), cashtag('BRK.B'), text('!)')])
    assert.deepEqual(inline('$ACME?'), [cashtag('ACME'), text('?')])
  })

  it('keeps a lone $, prices, lower case and symbols glued to words as text', () => {
    for (const message of ['$', 'costs $ 5', '$5 each', '$acme', '$Acme', 'US$ACME', '$ACMEx', '$ACME_1', '$TOOLONGSYMBOL', '\\$ACME']) {
      const nodes = inline(message)
      assert.ok(nodes.every((node) => node.type === 'text'), `expected ${message} as text, saw ${JSON.stringify(nodes)}`)
    }
  })

  it('reads no cashtag inside code spans, code blocks or links', () => {
    assert.deepEqual(inline('`$ACME`'), [{ type: 'code', text: '$ACME' }])
    assert.deepEqual(parseMessage('```\n$ACME\n```'), [{ type: 'code-block', text: '$ACME' }])
    assert.deepEqual(inline('[buy $ACME](https://example.com/)'), [{ type: 'link', href: 'https://example.com/', children: [text('buy $ACME')] }])
    const bare = inline('https://example.com/$ACME')
    assert.deepEqual(bare.map((node) => node.type), ['link'], `expected one link, saw ${JSON.stringify(bare)}`)
  })
})
