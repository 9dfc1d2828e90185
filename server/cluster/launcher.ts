import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { haproxyConfig } from './haproxy-config.ts'

const root = join(import.meta.dirname, '..', '..')
const STOP_TIMEOUT_MS = 15_000

export interface NodeProcess {
  name: string
  port: number
  url: string
  /** The running process, or null after it stopped. */
  child: ChildProcess | null
  /** Starts it (again, after a stop or a kill), resolving once it serves /readyz. */
  start: () => Promise<void>
  /** SIGTERM (a graceful close) or another signal; resolves when the process has exited. */
  stop: (signal?: NodeJS.Signals) => Promise<void>
}

export interface LaunchOptions {
  /** Nodes listen on `port + 1` ... `port + count`, the front door on `port`. */
  port: number
  count: number
  host?: string
  /** Settings for every node (REDIS_URL, DATABASE_URL, ...), on top of this process's environment. */
  env: Record<string, string>
  haproxy?: string
  /** Where each line a node or HAProxy prints goes, with its name. */
  output?: (name: string, line: string) => void
}

const exited = (child: ChildProcess) => new Promise<void>((resolve) => {
  if (child.exitCode !== null || child.signalCode !== null) resolve()
  else child.once('exit', () => resolve())
})

function pipeLines (child: ChildProcess, name: string, output: LaunchOptions['output']) {
  for (const stream of [child.stdout, child.stderr]) {
    let rest = ''
    stream?.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n')
      rest = lines.pop()!
      for (const line of lines) output?.(name, line)
    })
  }
}

/** Polls `url` until it answers 200, for at most `timeoutMs`; rejects with `why()` otherwise. */
export async function waitUntilReady (url: string, timeoutMs: number, why: () => string | null = () => null) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const early = why()
    if (early) throw new Error(early)
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) })
      if (res.status === 200) return
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s`)
}

/**
 * Hubbub as several real processes (`node server/main.ts` each) behind a real HAProxy:
 * what `npm run cluster` runs and what the cluster tests drive (stop, kill and restart nodes).
 */
export async function launchCluster ({ port, count, host = '127.0.0.1', env, haproxy = 'haproxy', output }: LaunchOptions) {
  const dir = mkdtempSync(join(tmpdir(), 'hubbub-cluster-'))
  const nodes: NodeProcess[] = []
  for (let i = 1; i <= count; i++) {
    const name = `node${i}`
    const nodePort = port + i
    const node: NodeProcess = {
      name,
      port: nodePort,
      url: `http://127.0.0.1:${nodePort}`,
      child: null,
      async start () {
        const child = spawn(process.execPath, ['server/main.ts'], {
          cwd: root,
          env: { ...process.env, NODE_NAME: name, TRUST_PROXY: 'loopback', SHUTDOWN_DRAIN_SECONDS: '3', ...env, PORT: String(nodePort), HOST: '127.0.0.1' },
          stdio: ['ignore', 'pipe', 'pipe']
        })
        node.child = child
        pipeLines(child, name, output)
        child.once('exit', () => { if (node.child === child) node.child = null })
        await waitUntilReady(`${node.url}/readyz`, 30_000, () => child.exitCode !== null ? `${name} exited with code ${child.exitCode}` : null)
      },
      async stop (signal = 'SIGTERM') {
        const child = node.child
        if (!child) return
        child.kill(signal)
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
        await exited(child)
        clearTimeout(timer)
      }
    }
    nodes.push(node)
  }

  const configFile = join(dir, 'haproxy.cfg')
  writeFileSync(configFile, haproxyConfig({ bind: `${host}:${port}`, nodes: nodes.map((node) => ({ name: node.name, address: `127.0.0.1:${node.port}` })) }))
  let door: ChildProcess | null = null
  const close = async () => {
    await Promise.all(nodes.map((node) => node.stop()))
    if (door && door.exitCode === null) {
      door.kill('SIGTERM')
      await exited(door)
    }
    rmSync(dir, { recursive: true, force: true })
  }

  try {
    // The first node applies the migrations; the others then start together.
    await nodes[0]!.start()
    await Promise.all(nodes.slice(1).map((node) => node.start()))
    // -db: stay in the foreground (Ctrl+C and the tests stop it like the nodes).
    door = spawn(haproxy, ['-db', '-f', configFile], { stdio: ['ignore', 'pipe', 'pipe'] })
    pipeLines(door, 'haproxy', output)
    const spawnError = new Promise<never>((_resolve, reject) => door!.once('error', reject))
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
    await Promise.race([spawnError, waitUntilReady(`${url}/readyz`, 15_000, () => door!.exitCode !== null ? `haproxy exited with code ${door!.exitCode}` : null)])
    return { url, nodes, configFile, close }
  } catch (error) {
    await close()
    throw error
  }
}

export type LaunchedCluster = Awaited<ReturnType<typeof launchCluster>>
