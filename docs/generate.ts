import { readFileSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { haproxyConfig } from '../server/cluster/haproxy-config.ts'
import { ConfigSchema } from '../server/config.ts'
import { protocolCatalog } from '../shared/catalog.ts'
import { replaceGeneratedSection } from './generated-section.ts'
import { renderConfigTable, renderEnvExample } from './render-config.ts'
import { renderProtocolDocs } from './render-protocol.ts'
import { loadSharedTypeNames } from './type-names.ts'

export const projectRoot = join(import.meta.dirname, '..')

/** Documents that carry the generated configuration table between markers. */
export const configTableDocuments = ['README.md', join('docs', 'operations.md')]
export const CONFIG_TABLE = 'config-table'

/**
 * Every generated file with the content it should have now (`npm run docs` writes them;
 * test/docs/ checks that the committed ones match).
 */
export async function generatedFiles (root = projectRoot) {
  const files = [
    { path: join('docs', 'protocol.md'), content: renderProtocolDocs(protocolCatalog, { typeNames: await loadSharedTypeNames() }) },
    { path: '.env.example', content: renderEnvExample(ConfigSchema) },
    // The front door `npm run cluster` writes, for its three nodes.
    { path: join('deploy', 'haproxy.cfg'), content: haproxyConfig({ bind: ':3000', nodes: [1, 2, 3].map((n) => ({ name: `node${n}`, address: `127.0.0.1:${3000 + n}` })) }) }
  ]
  const table = renderConfigTable(ConfigSchema)
  for (const path of configTableDocuments) {
    files.push({ path, content: replaceGeneratedSection(readFileSync(join(root, path), 'utf8'), CONFIG_TABLE, table) })
  }
  return files
}

const readOrEmpty = (file: string) => { try { return readFileSync(file, 'utf8') } catch { return '' } }

if (import.meta.main) {
  for (const { path, content } of await generatedFiles()) {
    const file = join(projectRoot, path)
    const changed = readOrEmpty(file) !== content
    if (changed) writeFileSync(file, content)
    process.stdout.write(`${relative(process.cwd(), file) || path}: ${changed ? 'written' : 'up to date'}\n`)
  }
}
