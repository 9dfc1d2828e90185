import { after, before, describe, it } from 'node:test'
import { protocolCatalog } from '../../../shared/catalog.ts'
import { startApp, type TestApp } from '../../helpers/app.ts'
import { api, assertHttpError } from '../../helpers/http.ts'

describe('routes that need a user or a key', () => {
  let t: TestApp
  before(async () => { t = await startApp() })
  after(() => t.close())

  const guarded = protocolCatalog.routes.filter((route) => route.auth !== 'none')
  for (const route of guarded) {
    const path = route.url.replace(/:\w+/g, 'x')
    it(`${route.method} ${route.url} answers 401 before looking at the body or the query`, async () => {
      // Each would be a 400 for a caller with a credential: an unknown field, a malformed number, broken JSON.
      assertHttpError(await api(t.url, route.method, `${path}?limit=abc&nope=1`, { body: route.method === 'GET' ? undefined : { nope: 1 } }), 401, 'unauthorized')
      if (route.method !== 'GET') {
        assertHttpError(await api(t.url, route.method, path, { body: '{"broken": ', headers: { 'content-type': 'application/json' } }), 401, 'unauthorized')
      }
    })
  }
})
