/**
 * The ticker frames a window should have held: one per tick for each client, from its first
 * frame of the window to its last. Counting from each client's own first and last frames, rather
 * than over all the window's stamps, leaves out the ticks the window cut in two: a busy generator
 * reads one tick's frames over a long while, so at either edge some clients' frames of a tick fall
 * inside the window and others' outside. A client that got none while others did misses every tick.
 *
 * `stamps`: the distinct tick stamps any client saw, ascending; `spans`: each client's first and
 * last stamp, or null when it got no frame.
 */
export function expectedTickFrames (stamps: readonly number[], spans: Iterable<{ first: number, last: number } | null>) {
  /** How many stamps are at most `ts`. */
  const upTo = (ts: number) => {
    let lo = 0
    let hi = stamps.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (stamps[mid]! <= ts) lo = mid + 1
      else hi = mid
    }
    return lo
  }
  let expected = 0
  for (const span of spans) expected += span === null ? stamps.length : upTo(span.last) - upTo(span.first - 1)
  return expected
}
