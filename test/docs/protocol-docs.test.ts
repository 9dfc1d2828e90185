import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { ConfigSchema, settingNames } from '../../server/config.ts'
import { protocolCatalog } from '../../shared/catalog.ts'
import { configTableDocuments, CONFIG_TABLE, generatedFiles, projectRoot } from '../../docs/generate.ts'
import { readGeneratedSection } from '../../docs/generated-section.ts'
import { renderConfigTable } from '../../docs/render-config.ts'

const read = (path: string) => { try { return readFileSync(join(projectRoot, path), 'utf8') } catch { return null } }

/** Where two texts first differ, as `line N: expected …, found …`. */
function firstDifference (expected: string, actual: string) {
  const want = expected.split('\n')
  const got = actual.split('\n')
  const i = want.findIndex((line, n) => line !== got[n])
  const n = i === -1 ? want.length : i
  return `line ${n + 1}: expected ${JSON.stringify(want[n] ?? '<end of file>')}, found ${JSON.stringify(got[n] ?? '<end of file>')}`
}

const files = await generatedFiles()

describe('generated docs', () => {
  for (const { path, content } of files) {
    it(`${path} matches a fresh render`, () => {
      const committed = read(path)
      assert.ok(committed !== null, `${path} is missing: run \`npm run docs\``)
      if (committed !== content) {
        assert.fail(`${path} is out of date (${firstDifference(content, committed)}): run \`npm run docs\``)
      }
    })
  }

  it('docs/protocol.md lists every namespace, command, push and route of the catalog', () => {
    const doc = read(join('docs', 'protocol.md')) ?? ''
    const expected = [
      ...protocolCatalog.namespaces.flatMap((ns) => [`## Namespace \`${ns.path}\``, ...Object.keys(ns.commands).map((event) => `#### \`${event}\``),
        ...Object.keys(ns.pushes).map((event) => `#### \`${event}\` push`)]),
      ...protocolCatalog.routes.map((route) => `### \`${route.method} ${route.url}\``)
    ]
    const missing = expected.filter((heading) => !doc.split('\n').includes(heading))
    assert.deepEqual(missing, [], 'headings missing from docs/protocol.md')
  })

  it('.env.example names every setting with its default', () => {
    const env = read('.env.example') ?? ''
    for (const name of settingNames) {
      const { default: value } = ConfigSchema.properties[name] as { default?: unknown }
      assert.ok(env.split('\n').includes(`# ${name}=${value}`), `expected a line "# ${name}=${value}" in .env.example`)
    }
  })

  for (const path of configTableDocuments) {
    it(`${path} carries the configuration table of every setting`, () => {
      const section = readGeneratedSection(read(path) ?? '', CONFIG_TABLE)
      assert.equal(section, renderConfigTable(ConfigSchema), `the table in ${path} is out of date: run \`npm run docs\``)
      for (const name of settingNames) assert.ok(section.includes(`| \`${name}\` |`), `${name} is missing from the table in ${path}`)
    })
  }
})
