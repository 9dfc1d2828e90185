import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Writes a test file's figures as `<name>.json` into the folder named by HUBBUB_RELIABILITY_OUT,
 * when it is set (a command collects them into the reliability report); does nothing otherwise.
 */
export function writeReliabilityFigures (name: string, figures: object) {
  const dir = process.env.HUBBUB_RELIABILITY_OUT
  if (!dir) return
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify({ test: name, writtenAt: new Date().toISOString(), ...figures }, null, 2)}\n`)
}

/** Adds one to `counts[key]`. */
export const tally = (counts: Record<string, number>, key: string) => { counts[key] = (counts[key] ?? 0) + 1 }
