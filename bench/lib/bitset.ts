/** A growable set of small non-negative integers (message counters, seqs), one bit each. */
export class Bitset {
  private bits = new Uint8Array(64)
  size = 0

  /** Adds n; false when it was already there. */
  add (n: number) {
    const byte = n >> 3
    if (byte >= this.bits.length) {
      const grown = new Uint8Array(Math.max(byte + 1, this.bits.length * 2))
      grown.set(this.bits)
      this.bits = grown
    }
    const mask = 1 << (n & 7)
    if (this.bits[byte]! & mask) return false
    this.bits[byte]! |= mask
    this.size++
    return true
  }

  has (n: number) {
    const byte = n >> 3
    return byte < this.bits.length && (this.bits[byte]! & (1 << (n & 7))) !== 0
  }

  /** How many of 1..n are missing. */
  missingUpTo (n: number) {
    let missing = 0
    for (let i = 1; i <= n; i++) if (!this.has(i)) missing++
    return missing
  }
}
