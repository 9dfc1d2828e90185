import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Compile } from 'typebox/compile'
import { NotificationUrlSchema } from '../../shared/notifications.ts'
import { classifyLink } from '../../client/src/notifications/classify-link.ts'

const origin = 'https://hubbub.example'

describe('classifyLink', () => {
  it('keeps same-site paths in the app, query and fragment included', () => {
    assert.deepEqual(classifyLink('/chat/general', origin), { kind: 'in-app', path: '/chat/general' })
    assert.deepEqual(classifyLink('/chat/r%20oom?seq=42', origin), { kind: 'in-app', path: '/chat/r%20oom?seq=42' })
    assert.deepEqual(classifyLink('/market/ACME#alerts', origin), { kind: 'in-app', path: '/market/ACME#alerts' })
    assert.deepEqual(classifyLink(`${origin}/market/ACME`, origin), { kind: 'in-app', path: '/market/ACME' }, 'a full link to this app')
  })

  it('opens http(s) links elsewhere as external', () => {
    assert.deepEqual(classifyLink('https://status.example.com/incidents/1', origin), { kind: 'external', href: 'https://status.example.com/incidents/1' })
    assert.deepEqual(classifyLink('http://example.org', origin), { kind: 'external', href: 'http://example.org/' })
  })

  it('never follows other schemes or tricks that leave the site', () => {
    const refused = [
      null,
      '',
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      ' javascript:alert(1)',
      'java\nscript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'mailto:someone@example.com',
      'file:///etc/passwd',
      '//evil.example/path',
      '/\\evil.example',
      '/\t/evil.example',
      'chat/general',
      'https://',
      'ftp://example.org/file'
    ]
    for (const url of refused) {
      assert.deepEqual(classifyLink(url, origin), { kind: 'none' }, `refuses ${JSON.stringify(url)}`)
    }
  })

  it('follows nothing the server would refuse to store', () => {
    const accepted = Compile(NotificationUrlSchema)
    for (const url of ['/chat/general', '//evil.example', 'javascript:alert(1)', 'https://example.org', 'mailto:x@y.z']) {
      if (!accepted.Check(url)) assert.deepEqual(classifyLink(url, origin), { kind: 'none' }, `${url} is refused by both`)
    }
  })
})
