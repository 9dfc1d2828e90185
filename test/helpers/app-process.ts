import { spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import { createInterface } from 'node:readline'
import type { AppOverrides } from '../../server/app.ts'

const mainFile = new URL('./app-process-main.ts', import.meta.url).pathname
const START_TIMEOUT_MS = 20_000
const STOP_TIMEOUT_MS = 10_000

export interface AppProcessOptions {
  env: Record<string, string>
  /** Only overrides that survive JSON (no functions, no storage). */
  overrides?: Pick<AppOverrides, 'presenceHeartbeat' | 'typingTtlMs' | 'limits'>
}

/**
 * `startApp()` in a child process (app-process-main.ts), as one node among in-process ones: a test
 * can `kill()` it with SIGKILL, so that nothing of its close runs (no leaves, no Redis cleanup) and
 * the OS drops its connections, as when a machine dies. `close()` stops it if it still runs and
 * removes its folder. Rejects with its stderr if it exits first or does not start within 20 s.
 */
export async function startAppProcess (options: AppProcessOptions) {
  const child = spawn(process.execPath, [mainFile, JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'pipe'] })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const running = () => child.exitCode === null && child.signalCode === null
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  let dir: string | undefined
  const close = async () => {
    if (running()) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
      await exited
      clearTimeout(timer)
    }
    if (dir) rmSync(dir, { recursive: true, force: true })
  }
  try {
    const started = await new Promise<{ url: string, dir: string }>((resolve, reject) => {
      const fail = (why: string) => {
        clearTimeout(timer)
        reject(new Error(`${why}\n--- node stderr ---\n${stderr}`))
      }
      const timer = setTimeout(() => fail(`the node printed no URL within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS)
      createInterface({ input: child.stdout }).once('line', (line) => {
        clearTimeout(timer)
        resolve(JSON.parse(line))
      })
      child.once('exit', (code, signal) => fail(`the node exited early (code ${code}, signal ${signal})`))
      child.once('error', (error) => fail(`the node could not be started: ${error.message}`))
    })
    dir = started.dir
    return {
      url: started.url,
      /** Kills the process outright (SIGKILL) and waits until it is gone. */
      async kill () {
        if (running()) child.kill('SIGKILL')
        await exited
      },
      close
    }
  } catch (error) {
    await close()
    throw error
  }
}
