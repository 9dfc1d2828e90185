import type { ChildProcess } from 'node:child_process'

/**
 * A tiny request/response protocol over the IPC channel of a child process: the parent calls
 * `rpc.call(method, params)`, the child answers from its handler table. Children may also send
 * unsolicited `{ event, data }` messages (progress, readiness).
 */
interface Request { id: number, method: string, params: unknown }
interface Response { id: number, result?: unknown, error?: string }
interface EventMessage { event: string, data: unknown }

export type Handlers = Record<string, (params: any) => unknown>

/** Child side: answers calls from the parent; exits when the parent goes away. */
export function serveRpc (handlers: Handlers) {
  if (!process.send) throw new Error('serveRpc needs an IPC channel (start this file with fork or stdio "ipc")')
  process.on('message', async (message: Request) => {
    const handler = handlers[message.method]
    let response: Response
    try {
      if (!handler) throw new Error(`unknown method ${message.method}`)
      response = { id: message.id, result: await handler(message.params) }
    } catch (error) {
      response = { id: message.id, error: error instanceof Error ? error.stack ?? error.message : String(error) }
    }
    process.send!(response)
  })
  // Never outlive the harness: a crashed parent must not leave load running.
  process.on('disconnect', () => process.exit(0))
}

export function emitEvent (event: string, data: unknown) {
  process.send?.({ event, data } satisfies EventMessage)
}

export class RpcClient {
  readonly child: ChildProcess
  readonly name: string
  private nextId = 1
  private pending = new Map<number, { resolve: (value: any) => void, reject: (error: Error) => void, method: string }>()
  private listeners = new Map<string, Set<(data: any) => void>>()
  readonly exited: Promise<{ code: number | null, signal: NodeJS.Signals | null }>

  constructor (child: ChildProcess, name: string) {
    this.child = child
    this.name = name
    child.on('message', (message: Response | EventMessage) => {
      if ('event' in message) {
        for (const listener of this.listeners.get(message.event) ?? []) listener(message.data)
        return
      }
      const waiting = this.pending.get(message.id)
      if (!waiting) return
      this.pending.delete(message.id)
      if (message.error !== undefined) waiting.reject(new Error(`${this.name}.${waiting.method}: ${message.error}`))
      else waiting.resolve(message.result)
    })
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => {
      for (const waiting of this.pending.values()) waiting.reject(new Error(`${this.name} exited (code ${code}, signal ${signal}) during ${waiting.method}`))
      this.pending.clear()
      resolve({ code, signal })
    }))
  }

  /** Calls a method in the child; rejects when it throws, exits, or takes longer than timeoutMs. */
  call<T = any> (method: string, params: unknown = {}, timeoutMs = 120_000): Promise<T> {
    const id = this.nextId++
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id)
        reject(new Error(`${this.name}.${method} took longer than ${timeoutMs} ms`))
      }, timeoutMs)
      this.pending.set(id, {
        method,
        resolve: (value) => { clearTimeout(timer); resolve(value) },
        reject: (error) => { clearTimeout(timer); reject(error) }
      })
      if (!this.child.connected) {
        this.pending.delete(id)
        clearTimeout(timer)
        reject(new Error(`${this.name} is not running (${method})`))
        return
      }
      this.child.send({ id, method, params } satisfies Request)
    })
  }

  on (event: string, listener: (data: any) => void) {
    const set = this.listeners.get(event) ?? new Set()
    set.add(listener)
    this.listeners.set(event, set)
    return () => set.delete(listener)
  }

  /** The next `event` from the child. */
  once<T = any> (event: string, timeoutMs = 60_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { off(); reject(new Error(`${this.name}: no ${event} within ${timeoutMs} ms`)) }, timeoutMs)
      const off = this.on(event, (data) => { clearTimeout(timer); off(); resolve(data) })
      this.exited.then(({ code, signal }) => { clearTimeout(timer); off(); reject(new Error(`${this.name} exited (code ${code}, signal ${signal}) before ${event}`)) })
    })
  }

  get alive () { return this.child.exitCode === null && this.child.signalCode === null }

  /** Asks the child to stop (SIGTERM), then kills it if it is still there after graceMs. */
  async stop (graceMs = 10_000, signal: NodeJS.Signals = 'SIGTERM') {
    if (!this.alive) return this.exited
    this.child.kill(signal)
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs)
    const result = await this.exited
    clearTimeout(timer)
    return result
  }
}
