import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { Window } from 'happy-dom'
import { h, render } from 'preact'
import { renderMessage } from '../../client/src/chat/format/render-message.ts'

// A real DOM (happy-dom) for Preact to render into: what is checked is the elements and
// attributes the app would put in the page, not a string that claims to be them.
const window = new Window()
const document = window.document as unknown as Document
Object.assign(globalThis, { document })
after(() => window.happyDOM.close())

const renderToDom = (text: string) => {
  const root = document.createElement('div')
  render(h('div', { class: 'message-text' }, renderMessage(text, 'alice')), root)
  return root.firstElementChild!
}

const FORBIDDEN = new Set(['script', 'iframe', 'object', 'embed', 'style', 'img', 'svg', 'math', 'link', 'meta', 'base', 'form', 'input', 'button', 'video', 'audio', 'source', 'frame', 'frameset', 'template', 'textarea', 'select'])
const ALLOWED = new Set(['div', 'p', 'pre', 'code', 'blockquote', 'ul', 'ol', 'li', 'strong', 'em', 's', 'a', 'span'])

/** What in the rendered tree could run or load something; empty when safe. */
const dangers = (root: Element): string[] => {
  const found: string[] = []
  for (const element of [root, ...root.querySelectorAll('*')]) {
    const tag = element.tagName.toLowerCase()
    if (FORBIDDEN.has(tag) || !ALLOWED.has(tag)) found.push(`<${tag}> element`)
    for (const { name, value } of element.attributes) {
      if (name.toLowerCase().startsWith('on')) found.push(`${name} on <${tag}>`)
      if (['src', 'srcdoc', 'style', 'action', 'formaction', 'xlink:href'].includes(name.toLowerCase())) found.push(`${name} on <${tag}>`)
      if (name.toLowerCase() === 'href' && !/^https?:\/\/[^\s"<>]+$/.test(value)) found.push(`href ${JSON.stringify(value)}`)
    }
    if (tag === 'a' && element.getAttribute('rel') !== 'noopener noreferrer nofollow') found.push(`rel ${element.getAttribute('rel')}`)
  }
  return found
}

const XSS_CORPUS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<object data="data:text/html,<script>alert(1)</script>"></object>',
  '<embed src=javascript:alert(1)>',
  '<style>body{background:url(javascript:alert(1))}</style>',
  '<a href="javascript:alert(1)">click</a>',
  '<b onmouseover=alert(1)>hover</b>',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click]( javascript:alert(1) )',
  '[click](javascript&#58;alert(1))',
  '[click](&#106;avascript:alert(1))',
  '[click](jav&#x09;ascript:alert(1))',
  '[click](jav\tascript:alert(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[click](vbscript:msgbox(1))',
  '[click](VBScript:msgbox(1))',
  'vbscript:msgbox(1)',
  '[click](<javascript:alert(1)>)',
  '[x](data:image/svg+xml,<svg onload=alert(1)>)',
  '[x](https://x.dev)(javascript:alert(1))',
  '[x](\\javascript:alert(1))',
  '[x](https:javascript:alert(1))',
  '[click](//evil.example)',
  '[click](https://x.dev"onclick="alert(1))',
  '[click](https://x.dev "title" onclick=alert(1))',
  '[click][ref]\n\n[ref]: javascript:alert(1)',
  '<javascript:alert(1)>',
  '<data:text/html,<script>alert(1)</script>>',
  '<vbscript:msgbox(1)>',
  'javascript:alert(1)',
  '&#106;avascript:alert(1)',
  'jav&#x09;ascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  '![img](https://x.dev/a.png" onerror="alert(1))',
  '![x](javascript:alert(1))',
  '**<img src=x onerror=alert(1)>**',
  '`<script>alert(1)</script>`',
  '```\n<script>alert(1)</script>\n```',
  '> <svg onload=alert(1)>',
  '- <iframe srcdoc="<script>alert(1)</script>">',
  '\\<script\\>alert(1)\\</script\\>',
  '`` ` ``<img src=x onerror=alert(1)>`` ` ``',
  '[a](https://x.dev)<script>alert(1)</script>[b](javascript:alert(1))',
  '[[nested](javascript:alert(1))](https://x.dev)',
  '[x](https://user:pass@evil.example)',
  'https://x.dev/"><script>alert(1)</script>',
  'www.x.dev/<img/src/onerror=alert(1)>',
  '**_~~'.repeat(300) + '<script>alert(1)</script>' + '~~_**'.repeat(300),
  '*'.repeat(1000) + '<img src=x onerror=alert(1)>' + '_'.repeat(1000),
  '['.repeat(500) + '](javascript:alert(1))'.repeat(50),
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '<a href="https://x.dev" onclick="alert(1)">x</a>',
  '@alice<script>alert(1)</script>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>'
]

describe('renderMessage: hostile Markdown renders as text', () => {
  it(`has a corpus of ${XSS_CORPUS.length} payloads`, () => {
    assert.ok(XSS_CORPUS.length >= 30)
  })

  for (const payload of XSS_CORPUS) {
    it(`makes nothing active of ${JSON.stringify(payload.slice(0, 60))}`, () => {
      const root = renderToDom(payload)
      assert.deepEqual(dangers(root), [], `${payload} rendered as ${root.innerHTML.slice(0, 300)}`)
      // Angle brackets written in the message are shown, not read: they are in the text.
      if (payload.includes('<script>') && !payload.includes('\\<')) assert.ok(root.textContent!.includes('<script>'), root.textContent!)
    })
  }
})

describe('renderMessage: elements for each construct', () => {
  it('renders bold, italic, strike, code, quote, lists and links as elements', () => {
    const root = renderToDom('**b** *i* ~~s~~ `c` [l](https://x.dev) https://y.dev @alice @bob\n> q\n- u\n3. o\n```\npre\n```')
    assert.equal(root.querySelector('strong')?.textContent, 'b')
    assert.equal(root.querySelector('em')?.textContent, 'i')
    assert.equal(root.querySelector('s')?.textContent, 's')
    assert.equal(root.querySelector('code.md-code')?.textContent, 'c')
    assert.equal(root.querySelector('blockquote')?.textContent, 'q')
    assert.equal(root.querySelector('ul > li')?.textContent, 'u')
    assert.equal(root.querySelector('ol')?.getAttribute('start'), '3')
    assert.equal(root.querySelector('pre > code')?.textContent, 'pre')
    const links = [...root.querySelectorAll('a')].map((a) => [a.getAttribute('href'), a.getAttribute('target'), a.textContent])
    assert.deepEqual(links, [['https://x.dev/', '_blank', 'l'], ['https://y.dev/', '_blank', 'https://y.dev']])
    const mentions = [...root.querySelectorAll('.mention')].map((span) => [span.textContent, span.hasAttribute('data-me')])
    assert.deepEqual(mentions, [['@alice', true], ['@bob', false]])
    assert.deepEqual(dangers(root), [])
  })

  it('asks for a chip for each cashtag and keeps the text of those it refuses or without a chip renderer', () => {
    const asked: string[] = []
    const chip = (symbol: string, key: number) => {
      asked.push(symbol)
      return symbol === 'ACME' ? h('a', { key, class: 'symbol-chip' }, symbol) : null
    }
    const root = document.createElement('div')
    render(h('div', null, renderMessage('watch $ACME and $NOPE, not `$ACME`', 'alice', undefined, chip)), root)
    assert.deepEqual(asked, ['ACME', 'NOPE'])
    assert.deepEqual([...root.querySelectorAll('.symbol-chip')].map((element) => element.textContent), ['ACME'])
    assert.equal(root.textContent, 'watch ACME and $NOPE, not $ACME')
    assert.equal(renderToDom('watch $ACME').textContent, 'watch $ACME')
  })
})
