import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { safeHref, splitLinks, type TextSegment } from '../../client/src/chat/split-links.ts'

const joined = (segments: TextSegment[]) => segments.map((segment) => segment.text).join('')
const links = (text: string) => splitLinks(text).filter((segment) => segment.kind === 'link').map((segment) => segment.kind === 'link' ? segment.href : '')

describe('splitLinks', () => {
  it('makes http and https addresses links and keeps every character of the text', () => {
    const text = 'See https://example.com/a?b=1#c and http://test.org, then www.hubbub.dev.'
    const segments = splitLinks(text)
    assert.equal(joined(segments), text)
    assert.deepEqual(links(text), ['https://example.com/a?b=1#c', 'http://test.org/', 'https://www.hubbub.dev/'])
  })

  it('leaves sentence punctuation and an unopened bracket outside the link', () => {
    assert.deepEqual(links('(see https://example.com/x)'), ['https://example.com/x'])
    assert.deepEqual(links('https://en.wikipedia.org/wiki/Foo_(bar)!'), ['https://en.wikipedia.org/wiki/Foo_(bar)'])
    assert.deepEqual(links('"https://example.com/q"'), ['https://example.com/q'])
  })

  it('never makes a link of another scheme, however it is written', () => {
    for (const text of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(document.cookie)',
      'java\tscript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      '<a href="javascript:alert(1)">x</a>',
      'jav&#x61;script:alert(1)',
      '//evil.example/x'
    ]) {
      assert.deepEqual(links(text), [], text)
      assert.equal(joined(splitLinks(text)), text, 'the text stays as it was')
    }
  })

  it('only ever yields http(s) hrefs, even from crafted input around a real link', () => {
    const crafted = [
      'https://x.example/"onmouseover="alert(1)',
      'https://x.example/<script>',
      'http://javascript:alert(1)@evil.example',
      'https://user:pass@evil.example/',
      'javascript:alert(1)//https://example.com',
      'www.javascript:alert(1)'
    ]
    for (const text of crafted) {
      for (const href of links(text)) assert.match(href, /^https?:\/\/[^\s"<>]+$/, `${text} gave ${href}`)
      assert.equal(joined(splitLinks(text)), text)
    }
    assert.deepEqual(links('https://user:pass@evil.example/'), [], 'credentials in a link are refused')
  })

  it('finds @mentions the way the server does, not e-mail addresses', () => {
    const segments = splitLinks('hi @alice and @bob.smith. mail me@host.org, @x')
    assert.deepEqual(segments.filter((segment) => segment.kind === 'mention').map((segment) => segment.kind === 'mention' ? segment.username : ''), ['alice', 'bob.smith'])
    assert.equal(joined(segments), 'hi @alice and @bob.smith. mail me@host.org, @x')
  })
})

describe('safeHref', () => {
  it('accepts http(s) only', () => {
    assert.equal(safeHref('https://example.com'), 'https://example.com/')
    assert.equal(safeHref('www.example.com'), 'https://www.example.com/')
    assert.equal(safeHref('javascript:alert(1)'), null)
    assert.equal(safeHref('mailto:a@b.c'), null)
    assert.equal(safeHref('not a url'), null)
  })
})
