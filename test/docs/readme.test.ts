import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, it } from 'node:test'
import { projectRoot } from '../../docs/generate.ts'

const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8')
const { scripts } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }

/** The lines of the section under `## title`. */
const section = (title: string) => {
  const lines = readme.split('\n')
  const start = lines.indexOf(`## ${title}`)
  assert.ok(start !== -1, `expected a "## ${title}" section in README.md`)
  const end = lines.findIndex((line, i) => i > start && line.startsWith('## '))
  return lines.slice(start + 1, end === -1 ? undefined : end)
}

describe('README.md', () => {
  it('starts with the two commands a newcomer runs', () => {
    const lines = section('Quick start')
    const block = lines.slice(lines.indexOf('```sh') + 1, lines.indexOf('```', lines.indexOf('```sh') + 1))
    assert.deepEqual(block, ['npm ci && npm start', 'npm test'])
  })

  it('lists exactly the npm scripts of package.json (hooks such as prestart aside)', () => {
    const listed = section('Scripts').map((line) => /^\| `npm (?:run )?([\w:-]+)` \|/.exec(line)?.[1]).filter(Boolean).sort()
    const defined = Object.keys(scripts).filter((name) => !/^(pre|post)/.test(name)).sort()
    assert.deepEqual(listed, defined)
  })

  it('says `npm start` where package.json runs start without `run`, and `npm run` for the rest', () => {
    for (const line of section('Scripts')) {
      const match = /^\| `(npm (?:run )?)([\w:-]+)` \|/.exec(line)
      if (!match) continue
      const direct = ['start', 'test'].includes(match[2]!)
      assert.equal(match[1], direct ? 'npm ' : 'npm run ', `README writes "${match[1]}${match[2]}"`)
    }
  })

  it('links only to files that exist (the screenshot aside, which is copied in at release)', () => {
    const links = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((match) => match[1]!)
      .filter((link) => !/^https?:/.test(link) && link !== 'docs/screenshot.png')
    const missing = links.filter((link) => !existsSync(join(projectRoot, link)))
    assert.deepEqual(missing, [], 'links to missing files')
  })

  it('references the screenshot', () => {
    assert.match(readme, /!\[[^\]]+\]\(docs\/screenshot\.png\)/)
  })
})

describe('docs/operations.md', () => {
  it('links only to files that exist', () => {
    const file = join(projectRoot, 'docs', 'operations.md')
    const links = [...readFileSync(file, 'utf8').matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((match) => match[1]!)
      .filter((link) => !/^https?:/.test(link))
    assert.deepEqual(links.filter((link) => !existsSync(join(dirname(file), link))), [], 'links to missing files')
  })
})
