import { execFileSync, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { RpcClient } from './rpc.ts'
import type { Progress } from './progress.ts'

export const benchDir = join(import.meta.dirname, '..')

/** Which cores the servers and the load generator get. */
export interface CpuPlan {
  cores: number
  taskset: boolean
  /** Core list for taskset -c, or null when not pinning. */
  server: string | null
  generator: string | null
  generatorCores: number
}

export function planCpus (): CpuPlan {
  const cores = availableParallelism()
  let taskset = false
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' })
    taskset = true
  } catch {}
  if (!taskset || cores < 2) return { cores, taskset: false, server: null, generator: null, generatorCores: cores }
  // The server gets one core to itself (a Node server is one event loop); the generator the rest.
  return { cores, taskset: true, server: '0', generator: cores === 2 ? '1' : `1-${cores - 1}`, generatorCores: cores - 1 }
}

/** Pins this process (the harness) to the generator's cores, away from the server. */
export function pinSelf (plan: CpuPlan) {
  if (plan.taskset && plan.generator) execFileSync('taskset', ['-a', '-p', '-c', plan.generator, String(process.pid)], { stdio: 'ignore' })
}

export interface StartOptions {
  name: string
  file: string
  cpus: string | null
  env?: Record<string, string>
  nodeArgs?: string[]
  progress?: Progress
}

/** Starts a TypeScript child with an IPC channel, pinned with taskset when asked; its output is prefixed. */
export function startChild ({ name, file, cpus, env = {}, nodeArgs = [], progress }: StartOptions) {
  const node = process.execPath
  const args = [...nodeArgs, join(benchDir, file)]
  const child = spawn(cpus ? 'taskset' : node, cpus ? ['-c', cpus, node, ...args] : args, {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'advanced',
    env: { ...process.env, ...env }
  })
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) (progress?.log ?? console.error)(`  [${name}] ${line}`)
  }
  child.stdout!.on('data', forward)
  child.stderr!.on('data', forward)
  return new RpcClient(child, name)
}

/** A port that is free right now on 127.0.0.1 (for a server that must come back on the same port). */
export function freePort (): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}
