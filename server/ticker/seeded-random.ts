export interface SeededRandom {
  /** Uniform in [0, 1). */
  next: () => number
  /** Standard normal (mean 0, variance 1). */
  normal: () => number
  /** Everything the next draws depend on, so that another process can continue the same stream. */
  state: () => SeededRandomState
}

/** sfc32's four words and the Box-Muller normal kept for the next call. */
export interface SeededRandomState {
  words: [number, number, number, number]
  spare: number | null
}

/**
 * Four 32-bit words from a string (cyrb128): sfc32 needs 128 bits of state, and similar seeds
 * such as `s:AAA` and `s:AAB` must still give unrelated streams.
 */
const hashSeed = (text: string): [number, number, number, number] => {
  let h1 = 1779033703
  let h2 = 3144134277
  let h3 = 1013904242
  let h4 = 2773480762
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i)
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067)
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233)
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213)
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179)
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067)
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233)
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213)
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179)
  h1 ^= h2 ^ h3 ^ h4
  h2 ^= h1
  h3 ^= h1
  h4 ^= h1
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0]
}

/**
 * sfc32: small, fast, passes PractRand, and its whole state is four numbers, so the same seed
 * replays the same series on every machine (Math.random cannot be seeded).
 * A number seed is the same as its decimal string. With `state`, the stream continues from where
 * the one that gave it was (the seed is then ignored).
 */
export const createSeededRandom = (seed: string | number, state?: SeededRandomState): SeededRandom => {
  let [a, b, c, d] = state ? state.words : hashSeed(String(seed))
  // Box-Muller makes normals in pairs; the second is kept for the next call.
  let spare: number | undefined = state?.spare ?? undefined

  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }

  const normal = (): number => {
    if (spare !== undefined) {
      const value = spare
      spare = undefined
      return value
    }
    // 1 - next() is in (0, 1], so the log is finite.
    const radius = Math.sqrt(-2 * Math.log(1 - next()))
    const angle = 2 * Math.PI * next()
    spare = radius * Math.sin(angle)
    return radius * Math.cos(angle)
  }

  // The first outputs of a freshly seeded sfc32 are still correlated with the seed.
  if (!state) for (let i = 0; i < 12; i++) next()

  return {
    next,
    normal,
    state: () => ({ words: [a >>> 0, b >>> 0, c >>> 0, d >>> 0], spare: spare ?? null })
  }
}
