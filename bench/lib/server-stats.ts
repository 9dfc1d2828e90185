import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks'
import { createHistogram, type HistogramData } from './histogram.ts'

const ELD_RESOLUTION_MS = 10

/** What a server process says about itself over one measurement window. */
export interface ServerStats {
  wallMs: number
  /** CPU time (user + system) of the whole process, every thread, in ms. */
  cpuMs: number
  /** cpuMs / wallMs: 1 is one core busy. */
  cpuUtil: number
  /** Event-loop utilization of the main thread (0..1). */
  elu: number
  rss: number
  rssPeak: number
  heapUsed: number
  heapTotal: number
  external: number
  /** Event-loop delay beyond the sampling timer, ms. */
  eldP50: number
  eldP99: number
  eldMax: number
  /**
   * Ticker servers: per tick, ms from the tick's timestamp until its last frame was handed to the
   * kernel (the server's share of the tick latency; the rest is the network and the reader).
   */
  push: HistogramData
}

/**
 * The process's own accounting, read on request: CPU from process.cpuUsage() (the kernel's
 * numbers for this process), memory from process.memoryUsage(), event-loop delay from
 * perf_hooks.monitorEventLoopDelay. `reset()` starts a window, `read()` ends it.
 */
export function createServerStats () {
  const eld = monitorEventLoopDelay({ resolution: ELD_RESOLUTION_MS })
  eld.enable()
  let cpu = process.cpuUsage()
  let started = performance.now()
  let elu: EventLoopUtilization = performance.eventLoopUtilization()
  let rssPeak = process.memoryUsage.rss()
  const push = createHistogram()
  const sampler = setInterval(() => { rssPeak = Math.max(rssPeak, process.memoryUsage.rss()) }, 200)
  sampler.unref()

  const excess = (ns: number) => Math.max(0, ns / 1e6 - ELD_RESOLUTION_MS)

  return {
    reset () {
      cpu = process.cpuUsage()
      started = performance.now()
      elu = performance.eventLoopUtilization()
      rssPeak = process.memoryUsage.rss()
      eld.reset()
      push.reset()
    },
    /** Records one tick's push time (ms). */
    recordPush: push.record,
    /**
     * Ends the window. With gc, a full collection runs after the CPU and event-loop figures are
     * taken (so they do not include it) and before memory is read: heap is then what is live.
     */
    read ({ gc = false }: { gc?: boolean } = {}): ServerStats {
      const used = process.cpuUsage(cpu)
      const wallMs = performance.now() - started
      const cpuMs = (used.user + used.system) / 1000
      const loop = performance.eventLoopUtilization(elu)
      if (gc && typeof globalThis.gc === 'function') {
        globalThis.gc()
        globalThis.gc()
      }
      const memory = process.memoryUsage()
      rssPeak = Math.max(rssPeak, memory.rss)
      return {
        wallMs,
        cpuMs,
        cpuUtil: wallMs > 0 ? cpuMs / wallMs : 0,
        elu: loop.utilization,
        rss: memory.rss,
        rssPeak,
        heapUsed: memory.heapUsed,
        heapTotal: memory.heapTotal,
        external: memory.external,
        eldP50: eld.count ? excess(eld.percentile(50)) : 0,
        eldP99: eld.count ? excess(eld.percentile(99)) : 0,
        eldMax: eld.count ? excess(eld.max) : 0,
        push: push.toJSON()
      }
    },
    close () {
      clearInterval(sampler)
      eld.disable()
    }
  }
}
