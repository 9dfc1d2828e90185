import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { clientDir } from '../../../server/plugins/static-client.ts'
import { startApp, type TestApp } from '../../helpers/app.ts'
import { api } from '../../helpers/http.ts'

// Needs the built client (npm test builds it first).
let t: TestApp
before(async () => { t = await startApp({ env: { SERVE_CLIENT: 'true' } }) })
after(async () => { await t.close() })

const page = (path: string) => fetch(t.url + path, { headers: { accept: 'text/html' } })

describe('the static client', () => {
  it('serves the page with a CSP that allows only our own scripts, revalidated on every load', async () => {
    const res = await page('/')
    assert.equal(res.status, 200)
    assert.match(res.headers.get('content-type') ?? '', /text\/html/)
    assert.match(await res.text(), /<div id="app">|<script type="module"/)
    assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self'/)
    assert.equal(res.headers.get('cache-control'), 'no-cache')
  })

  it('serves the page for deep links, so a reload of /chat/general works', async () => {
    const res = await page('/chat/general')
    assert.equal(res.status, 200)
    assert.match(await res.text(), /<script type="module"/)
  })

  it('caches hashed assets for a year', async () => {
    const asset = readdirSync(join(clientDir, 'assets')).find((name) => name.endsWith('.js'))!
    const res = await fetch(`${t.url}/assets/${asset}`)
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable')
  })

  it('serves the page to clients that take anything, such as curl', async () => {
    const res = await fetch(`${t.url}/`, { headers: { accept: '*/*' } })
    assert.equal(res.status, 200)
    assert.match(res.headers.get('content-type') ?? '', /text\/html/)
  })

  it('answers JSON 404 for unknown API paths, missing files and JSON requests', async () => {
    for (const path of ['/api/nope', '/chat/general', '/missing.js']) {
      const res = await api(t.url, 'GET', path, { headers: { accept: 'application/json' } })
      assert.equal(res.status, 404, path)
      assert.equal(res.body.error.code, 'not_found')
    }
    assert.equal((await fetch(`${t.url}/assets/missing.js`)).status, 404, 'a missing file is not the page')
    // Nor does /admin/, the admin UI's when it is on (it is off here).
    for (const path of ['/api/nope', '/admin/']) assert.equal((await page(path)).status, 404, `${path} never falls back to the page`)
  })
})
