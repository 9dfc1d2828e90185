/**
 * `npm run reliability`: runs the reliability tests (test/reliability/: hostile frames, fuzz,
 * floods) and writes the figures they report into docs/security.md, between the markers of its
 * `reliability` section. The tests fail on their own when a figure is wrong; this keeps the
 * numbers in the docs those of a real run.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { replaceGeneratedSection } from './generated-section.ts'
import { cell } from './markdown.ts'

const root = join(import.meta.dirname, '..')
const SECTION = 'reliability'
const COMMAND = 'npm run reliability'

type Figures = Record<string, unknown>

const scalar = (value: unknown) => typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)

/** A table of rows that are objects (the union of their keys as columns), or of a flat object's entries. */
function table (value: unknown): string[] {
  if (Array.isArray(value) && value.every((row) => typeof row === 'object' && row !== null && !Array.isArray(row))) {
    const columns = [...new Set(value.flatMap((row) => Object.keys(row)))]
    return [`| ${columns.join(' | ')} |`, `| ${columns.map(() => '---').join(' | ')} |`,
      ...value.map((row: Figures) => `| ${columns.map((column) => cell(row[column] === undefined ? '' : scalar(row[column]))).join(' | ')} |`)]
  }
  const entries = Object.entries(value as Figures).filter(([, v]) => !Array.isArray(v))
  return ['| figure | value |', '| --- | --- |', ...entries.map(([key, v]) => `| ${cell(key)} | ${cell(scalar(v))} |`)]
}

/** One subsection per test file's figures: its scalars, then each list of rows as a table. */
function renderReliability (files: { name: string, figures: Figures }[], when: string) {
  const out = [`Figures of \`${COMMAND}\`, ${when}, on this project's 2-core machine.`, '']
  for (const { name, figures } of files) {
    out.push(`#### ${name}`, '', ...table(figures), '')
    for (const [key, value] of Object.entries(figures)) {
      if (Array.isArray(value) && value.length > 0) out.push(`${cell(key)}:`, '', ...table(value), '')
    }
  }
  return out.join('\n').trimEnd()
}

if (import.meta.main) {
  const out = mkdtempSync(join(tmpdir(), 'hubbub-reliability-'))
  try {
    const run = spawnSync(process.execPath, ['--test', '--test-concurrency=1', 'test/reliability/*.test.ts'], {
      cwd: root, stdio: 'inherit', env: { ...process.env, HUBBUB_RELIABILITY_OUT: out }
    })
    if (run.status !== 0) {
      process.stderr.write('The reliability tests failed; docs/security.md is left as it was.\n')
      process.exit(1)
    }
    const files = readdirSync(out).filter((file) => file.endsWith('.json')).sort()
      .map((file) => ({ name: file.replace(/\.json$/, ''), figures: JSON.parse(readFileSync(join(out, file), 'utf8')) as Figures }))
    const path = join(root, 'docs', 'security.md')
    const when = new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC'
    writeFileSync(path, replaceGeneratedSection(readFileSync(path, 'utf8'), SECTION, renderReliability(files, when), COMMAND))
    process.stdout.write(`docs/security.md: reliability figures of ${files.length} test files written\n`)
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
}
