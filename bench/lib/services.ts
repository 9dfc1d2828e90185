/**
 * What the cluster scenario needs besides the app: a PostgreSQL schema of its own (the nodes share
 * one database) and a redis-server of its own, pinned like the servers, whose CPU is read from
 * /proc. Never the shared Redis on 6379: nothing here flushes or stops anything it did not start.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import postgres from 'postgres'
import { describeDatabase, describeFailure } from '../../server/storage/describe-database.ts'
import { benchPostgresUrl } from './bench-database.ts'
import { freePort } from './processes.ts'

/** False when PostgreSQL answers and redis-server can be run; otherwise why not. */
export async function clusterSkipReason (): Promise<string | false> {
  const { error, status } = spawnSync('redis-server', ['--version'], { stdio: 'ignore' })
  if (error || status !== 0) return `redis-server cannot be run (${error?.message ?? `exit ${status}`})`
  const sql = postgres(benchPostgresUrl, { max: 1, connect_timeout: 5, onnotice: () => {} })
  try {
    await sql`SELECT 1`
    return false
  } catch (failure) {
    return `${describeDatabase(benchPostgresUrl)} does not answer (${describeFailure(failure)}); set BENCH_POSTGRES_URL`
  } finally {
    await sql.end({ timeout: 0 })
  }
}

const clockTicks = (() => {
  try { return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100 } catch { return 100 }
})()

/** CPU time (user + system) of a process so far, in ms, from /proc/<pid>/stat (10 ms resolution). */
export function processCpuMs (pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks
  } catch {
    // Not there (any more), or not ours to see.
    return null
  }
}

/** A redis-server on a free loopback port, keeping nothing on disk, pinned to `cpus` when given. */
export async function startBenchRedis (cpus: string | null) {
  const port = await freePort()
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no']
  // taskset execs redis-server: the pid is redis-server's.
  const child: ChildProcess = cpus ? spawn('taskset', ['-c', cpus, 'redis-server', ...args], { stdio: ['ignore', 'pipe', 'pipe'] }) : spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const kill = () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL') }
  process.once('exit', kill)
  await new Promise<void>((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => reject(new Error(`redis-server on port ${port} not ready in 10 s:\n${output}`)), 10_000)
    const onData = (chunk: string) => {
      output += chunk
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer)
        child.stdout!.off('data', onData).resume()
        resolve()
      }
    }
    child.stdout!.setEncoding('utf8').on('data', onData)
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { output += chunk })
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`redis-server on port ${port} exited (${code}):\n${output}`)))
  })
  return {
    url: `redis://127.0.0.1:${port}`,
    cpuMs: () => processCpuMs(child.pid!),
    async stop () {
      kill()
      await exited
    }
  }
}
