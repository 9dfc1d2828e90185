import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { after, before, describe, it } from 'node:test'
import { createServer } from 'node:net'
import { settingNames } from '../../server/config.ts'
import { Namespaces } from '../../shared/protocol.ts'
import { registerUser } from '../helpers/http.ts'
import { connect, nextEvent } from '../helpers/sockets.ts'
import { spawnServer } from '../helpers/spawn-server.ts'

const mainFile = join(import.meta.dirname, '..', '..', 'server', 'main.ts')

/** server/main.ts as a child process, with only the settings given here (none inherited). */
function spawnMain (settings: Record<string, string>) {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !(settingNames as string[]).includes(name)))
  const child = spawn(process.execPath, [mainFile], { env: { ...inherited, ...settings }, stdio: ['ignore', 'pipe', 'pipe'] })
  const output = { stdout: '', stderr: '' }
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { output.stdout += chunk })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { output.stderr += chunk })
  const exited = new Promise<{ code: number | null, signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }))
  })
  return { child, output, exited }
}

/** Resolves with `promise`, or rejects after `ms` with a message that shows what the child printed. */
function within<T> (promise: Promise<T>, ms: number, what: string, output: { stdout: string, stderr: string }) {
  let timer: NodeJS.Timeout
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`expected ${what} within ${ms} ms; stdout: ${JSON.stringify(output.stdout)} stderr: ${JSON.stringify(output.stderr)}`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/** The URL main.ts announces once it listens. */
function announcedUrl (child: ChildProcess, output: { stdout: string, stderr: string }) {
  return within(new Promise<string>((resolve, reject) => {
    const check = () => {
      const match = /Hubbub is running at (http:\/\/\S+)/.exec(output.stdout)
      if (match) {
        child.stdout!.off('data', check)
        resolve(match[1]!)
      }
    }
    child.stdout!.on('data', check)
    child.once('exit', (code) => reject(new Error(`main.ts exited with ${code} before listening; stderr: ${output.stderr}`)))
    check()
  }), 15_000, 'the "Hubbub is running at" line', output)
}

describe('server/main.ts', () => {
  let dir: string
  before(() => { dir = mkdtempSync(join(tmpdir(), 'hubbub-main-')) })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('starts on a fresh database with the seeded rooms, and on SIGTERM drops sockets so clients reconnect, then exits 0', async () => {
    const file = join(dir, 'fresh', 'hubbub.db')
    const { child, output, exited } = spawnMain({
      PORT: '0', HOST: '127.0.0.1', DATABASE_URL: `sqlite:${file}`, SERVE_CLIENT: 'false', LOG_LEVEL: 'warn'
    })
    let socket: Awaited<ReturnType<typeof connect>> | undefined
    try {
      const url = await announcedUrl(child, output)
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/)

      const db = new DatabaseSync(file, { readOnly: true })
      try {
        const names = db.prepare("SELECT name FROM rooms WHERE visibility = 'public' ORDER BY name").all().map((row) => row.name)
        assert.deepEqual(names, ['general', 'markets', 'random'])
      } finally {
        db.close()
      }

      const { token } = await registerUser(url)
      socket = await connect(url, Namespaces.chat, { token, reconnection: true })
      const disconnected = nextEvent<string>(socket, 'disconnect', 10_000)

      child.kill('SIGTERM')

      // "transport close" (not "io server disconnect") is what makes a client reconnect on its own.
      assert.equal(await disconnected, 'transport close')
      const { code, signal } = await within(exited, 5_000, 'the process to exit after SIGTERM', output)
      assert.deepEqual({ code, signal }, { code: 0, signal: null }, `stderr: ${output.stderr}`)
    } finally {
      socket?.close()
      child.kill('SIGKILL')
    }
  })

  it('exits 1 with a message naming the variable when a setting is invalid', async () => {
    const { child, output, exited } = spawnMain({ PORT: 'abc', DATABASE_URL: `sqlite:${join(dir, 'never.db')}`, SERVE_CLIENT: 'false' })
    try {
      const { code } = await within(exited, 15_000, 'the process to exit', output)
      assert.equal(code, 1, `stdout: ${output.stdout} stderr: ${output.stderr}`)
      assert.match(output.stderr, /\bPORT\b/)
      assert.doesNotMatch(output.stderr, /\n\s+at /, 'a configuration mistake gets a message, not a stack trace')
      assert.doesNotMatch(output.stdout, /Hubbub is running/)
    } finally {
      child.kill('SIGKILL')
    }
  })

  it('exits 1 with one line naming the database, without its password, when PostgreSQL does not answer', async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number }
        probe.close(() => resolve(port))
      })
    })
    const url = `postgres://hubbub:s3cret-pw@127.0.0.1:${port}/hubbub`
    const error = await spawnServer({ DATABASE_URL: url, SERVE_CLIENT: 'false' }).then(
      async (server) => { await server.stop(); return new Error('the server started') },
      (error: Error) => error
    )
    assert.match(error.message, /exited early \(code 1,/, error.message)
    const line = `Hubbub cannot start: PostgreSQL at postgres://hubbub@127.0.0.1:${port}/hubbub (host 127.0.0.1, port ${port}) could not be opened: connect ECONNREFUSED`
    assert.ok(error.message.includes(line), `expected "${line}" in:\n${error.message}`)
    assert.ok(!error.message.includes('s3cret-pw'), `the password is shown:\n${error.message}`)
    assert.doesNotMatch(error.message, /\n\s+at /, 'a database that does not answer gets a message, not a stack trace')
  })
})
