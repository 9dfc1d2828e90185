import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createTestSchema, testStore } from './postgres.ts'

const repoRoot = resolve(import.meta.dirname, '..', '..')
const START_TIMEOUT_MS = 20_000
// The server closes gracefully on SIGTERM; if that hangs, a stuck test run is worse than a kill.
const STOP_TIMEOUT_MS = 15_000

export interface SpawnedServer {
  url: string
  stop: () => Promise<void>
  /** Sends the process a signal (SIGKILL, SIGSTOP, SIGCONT...) without waiting for anything. */
  signal: (signal: NodeJS.Signals) => void
  /** Resolves when the process has exited. */
  exited: Promise<void>
}

/**
 * The real server as its own process (`node server/main.ts`) with a fresh SQLite file (or, with
 * HUBBUB_TEST_STORE=postgres, a fresh PostgreSQL schema), the way a browser meets it: it serves
 * the built client from dist/client. Resolves with the URL the server prints; rejects with its
 * stderr if it exits first or prints no URL within 20 s.
 */
export async function spawnServer (env: Record<string, string> = {}): Promise<SpawnedServer> {
  const dir = mkdtempSync(join(tmpdir(), 'hubbub-e2e-'))
  const schema = testStore === 'postgres' && env.DATABASE_URL === undefined ? await createTestSchema() : undefined
  const child = spawn(process.execPath, ['server/main.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: schema ? schema.url : `sqlite:${join(dir, 'hubbub.db')}`,
      LOG_LEVEL: 'warn',
      ...env
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  let stdout = ''
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })

  const removeDir = async () => {
    rmSync(dir, { recursive: true, force: true })
    await schema?.drop()
  }
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      // A stopped process would take the SIGTERM only once continued.
      child.kill('SIGCONT')
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
      await exited
      clearTimeout(timer)
    }
    await removeDir()
  }

  try {
    const url = await new Promise<string>((resolve, reject) => {
      const fail = (why: string) => {
        clearTimeout(timer)
        reject(new Error(`${why}\n--- server stdout ---\n${stdout}\n--- server stderr ---\n${stderr}`))
      }
      const timer = setTimeout(() => fail(`the server printed no URL within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS)
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk
        const match = /http:\/\/\S+/.exec(stdout)
        if (match) {
          clearTimeout(timer)
          resolve(match[0])
        }
      })
      child.once('exit', (code, signal) => fail(`the server exited early (code ${code}, signal ${signal})`))
      child.once('error', (error) => fail(`the server could not be started: ${error.message}`))
    })
    // Keep draining stdout so a chatty server never blocks on a full pipe.
    child.stdout.resume()
    return { url, stop, signal: (signal: NodeJS.Signals) => { child.kill(signal) }, exited }
  } catch (error) {
    await stop()
    throw error
  }
}
