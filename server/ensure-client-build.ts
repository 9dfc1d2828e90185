import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError, loadConfig } from './config.ts'

export const projectRoot = join(import.meta.dirname, '..')

/** What the client bundle is built from. */
const sources = ['client', 'shared', 'vite.config.ts']

/**
 * The newest modification time of a file, or of a folder and everything under it
 * (a folder's own time counts: deleting a file changes it). 0 when the path does not exist.
 */
export function newestMtime (path: string): number {
  if (!existsSync(path)) return 0
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const entry of readdirSync(path, { recursive: true, withFileTypes: true })) {
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs)
  }
  return newest
}

export type ClientBuildState = 'missing' | 'stale' | 'fresh'

/** Whether dist/client/index.html exists and is newer than every source of the client. */
export function clientBuildState (root = projectRoot): ClientBuildState {
  const index = join(root, 'dist', 'client', 'index.html')
  if (!existsSync(index)) return 'missing'
  const builtAt = statSync(index).mtimeMs
  return sources.some((source) => newestMtime(join(root, source)) > builtAt) ? 'stale' : 'fresh'
}

interface EnsureOptions {
  root?: string
  env?: Record<string, string | undefined>
  print?: (line: string) => void
  /** Vite's build(); injected by tests. */
  build?: (root: string) => Promise<void>
}

const viteBuild = async (root: string) => {
  const { build } = await import('vite')
  await build({ root: join(root, 'client'), configFile: join(root, 'vite.config.ts'), logLevel: 'warn' })
}

/**
 * Runs before `npm start`: builds the client with Vite when dist/client is missing or older than
 * its sources, so a fresh clone's `npm ci && npm start` serves the app. Does nothing when the
 * server will not serve the client (SERVE_CLIENT=false), or when the settings are invalid
 * (main.ts then explains what is wrong).
 */
export async function ensureClientBuild ({ root = projectRoot, env = process.env, print = (line) => process.stdout.write(`${line}\n`), build = viteBuild }: EnsureOptions = {}): Promise<ClientBuildState | 'skipped'> {
  try {
    if (!loadConfig(env).serveClient) return 'skipped'
  } catch (error) {
    if (error instanceof ConfigError) return 'skipped'
    throw error
  }
  const state = clientBuildState(root)
  if (state === 'fresh') return state
  print(`Building the client (${state === 'missing' ? 'dist/client is missing' : 'its sources changed'})…`)
  await build(root)
  return state
}

if (import.meta.main) await ensureClientBuild()
