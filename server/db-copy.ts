/**
 * `npm run db:copy -- --from sqlite:./data/hubbub.db --to postgres://…[ --replace]`: moves an
 * installation from SQLite to PostgreSQL (docs/operations.md). Prints progress, then the row
 * counts of both sides per table; exits 1 when they differ or the copy fails.
 */
import { parseArgs } from 'node:util'
import { copyDatabase, CopyError, type CopyProgress } from './storage/copy-database.ts'
import { describeDatabase, describeFailure } from './storage/describe-database.ts'

const usage = 'Usage: npm run db:copy -- --from sqlite:<file> --to postgres://<user>@<host>:<port>/<database> [--replace]'
const out = (line: string) => process.stdout.write(`${line}\n`)

let options
try {
  options = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' }, replace: { type: 'boolean', default: false } } }).values
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n${usage}\n`)
  process.exit(2)
}
const { from, to, replace } = options
if (!from || !to) {
  process.stderr.write(`${usage}\n`)
  process.exit(2)
}

out(`Copying ${describeDatabase(from)} to ${describeDatabase(to)}`)
let shown = ''
const progress = ({ table, copied, total }: CopyProgress) => {
  const line = `  ${table}: ${copied.toLocaleString('en')} of ${total.toLocaleString('en')}`
  // One line per table on a terminal, rewritten as it grows; every step in a log.
  if (process.stdout.isTTY) process.stdout.write(`\r${line}${copied === total ? '\n' : ''}`)
  else if (copied === total || line !== shown) out(line)
  shown = line
}

try {
  const counts = await copyDatabase({ from, to, replace, onProgress: progress })
  out('')
  out('table          source   target')
  for (const { table, source, target } of counts) out(`${table.padEnd(14)} ${String(source).padStart(6)}   ${String(target).padStart(6)}${source === target ? '' : '   DIFFERENT'}`)
  const different = counts.filter((count) => count.source !== count.target)
  if (different.length > 0) {
    process.stderr.write(`The copy differs in ${different.map((count) => count.table).join(', ')}.\n`)
    process.exit(1)
  }
  out('Every table has the same number of rows on both sides.')
} catch (error) {
  process.stderr.write(`Copy failed: ${error instanceof CopyError ? error.message : describeFailure(error)}\n`)
  process.exit(1)
}
