import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'

const workerFile = new URL('./storage-worker.ts', import.meta.url).pathname

/**
 * Runs storage-worker.ts once per task, each in its own process, and releases them together once
 * all are ready; resolves with each one's JSON result. A worker that fails rejects with its stderr;
 * every worker is killed if any fails.
 */
export async function runWorkers<T> (url: string, tasks: object[]): Promise<T[]> {
  const workers = tasks.map((task) => {
    const child = spawn(process.execPath, [workerFile, url, JSON.stringify(task)], { stdio: ['pipe', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
    const lines = createInterface({ input: child.stdout })
    const exited = new Promise<void>((resolve, reject) => child.once('exit', (code) => code === 0
      ? resolve()
      : reject(new Error(`a storage worker exited with ${code}: ${stderr}`))))
    const nextLine = () => new Promise<string>((resolve, reject) => {
      lines.once('line', resolve)
      exited.catch(reject)
    })
    const ready = nextLine()
    const result = ready.then(nextLine)
    return { child, ready, result, exited }
  })
  try {
    await Promise.all(workers.map((w) => w.ready))
    for (const { child } of workers) child.stdin.end('go\n')
    const results = await Promise.all(workers.map((w) => w.result))
    await Promise.all(workers.map((w) => w.exited))
    return results.map((text) => JSON.parse(text) as T)
  } finally {
    for (const { child } of workers) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
}
