import type { TestApp } from './app.ts'
import { api } from './http.ts'

/**
 * The app's /metrics text without the `node` label that every series carries (its own test is in
 * operations.test.ts), so a test names only the labels it is about: `hubbub_x{event="a"} 1`.
 */
export async function scrapeMetrics (t: TestApp) {
  const text = String((await api(t.url, 'GET', '/metrics')).body)
  const node = `node="${t.app.config.nodeName}"`
  return text.replaceAll(`{${node}}`, '').replaceAll(`,${node}`, '').replaceAll(`{${node},`, '{')
}
