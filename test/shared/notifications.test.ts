import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Compile } from 'typebox/compile'
import { isNotificationUrl, NotificationUrlSchema } from '../../shared/notifications.ts'

const links = ['/chat/general', '/', '/market/ACME?range=1d#chart', '/chat/r%5Coom', 'https://status.example.com/incidents/1', 'http://example.org', 'https://user@example.org:8443/a b', 'https://[::1]:8080/']
const notLinks = [
  '', '/\\evil.example', '/\t/evil.example', '/\r\n/evil.example', '//evil.example', '/\\/evil.example', 'https://', 'http://', 'https:///evil.example',
  'https://exa mple.com/', 'https://evil.example\\@app.example', 'https://evil.example/\u0000', 'javascript:alert(1)', 'HTTPS://evil.example',
  'data:text/html,hi', 'ftp://example.org/', 'mailto:a@b.c', 'chat/general', ' /chat/general', 'https://[::1/'
]

describe('isNotificationUrl', () => {
  for (const url of links) it(`accepts ${JSON.stringify(url)}`, () => assert.equal(isNotificationUrl(url), true))
  for (const url of notLinks) it(`refuses ${JSON.stringify(url)}`, () => assert.equal(isNotificationUrl(url), false))
})

describe('NotificationUrlSchema', () => {
  const schema = Compile(NotificationUrlSchema)
  it('accepts every link isNotificationUrl accepts, so the server check is the only one that matters', () => {
    for (const url of links) assert.ok(schema.Check(url), `the schema refuses ${JSON.stringify(url)}`)
  })

  it('already refuses control characters, backslashes and hostless URLs', () => {
    for (const url of ['/\\evil.example', '/\t/evil.example', '//evil.example', 'https://', 'https:///evil.example', 'javascript:alert(1)']) {
      assert.equal(schema.Check(url), false, `the schema accepts ${JSON.stringify(url)}`)
    }
  })
})
