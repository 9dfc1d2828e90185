import { SessionAwareAdapter } from 'socket.io-adapter'

/** What SessionAwareAdapter keeps of each push for the recovery window (its own field, read here). */
interface StoredPacket { id: string, data: unknown[], emittedAt: number }

const sizeOf = (data: unknown[]) => JSON.stringify(data)?.length ?? 0

/**
 * Socket.IO's in-memory adapter for connection-state recovery with a ceiling. The stock one keeps
 * every push of the recovery window and sweeps old ones once a minute, so at the send limits a
 * busy node could hold a gigabyte. This one also drops the oldest pushes, at once, as soon as the
 * kept ones add up to more than `maxBytes` (JSON length). A client whose missed pushes were
 * dropped is not recovered: it reconnects as after a longer gap and catches up by `seq`, which is
 * the guarantee; recovery only saves it the round trip. With Redis, the streams adapter's
 * `maxLen` plays this part.
 */
export function boundedRecoveryAdapter (maxBytes: number): typeof SessionAwareAdapter {
  return class BoundedRecoveryAdapter extends SessionAwareAdapter {
    /** JSON length of the pushes kept, oldest first, matching `packets`. */
    readonly #sizes: number[] = []
    #bytes = 0

    get keptBytes () { return this.#bytes }

    override broadcast (...args: Parameters<SessionAwareAdapter['broadcast']>) {
      const packets = (this as unknown as { packets: StoredPacket[] }).packets
      const before = packets.length
      super.broadcast(...args)
      if (packets.length === before) return // not kept: volatile, acknowledged or not an event
      // The stock minute sweep may have dropped old pushes meanwhile: forget their sizes too.
      while (this.#sizes.length > before) this.#bytes -= this.#sizes.shift()!
      const size = sizeOf(packets.at(-1)!.data)
      this.#sizes.push(size)
      this.#bytes += size
      let drop = 0
      while (this.#bytes > maxBytes && drop < packets.length) this.#bytes -= this.#sizes[drop++]!
      if (drop > 0) {
        packets.splice(0, drop)
        this.#sizes.splice(0, drop)
      }
    }
  }
}
