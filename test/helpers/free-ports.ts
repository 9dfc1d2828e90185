import { createServer } from 'node:net'

const isFree = (port: number) => new Promise<boolean>((resolve) => {
  const server = createServer().once('error', () => resolve(false))
  server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
})

/** `count` free consecutive ports on 127.0.0.1, at random below the kernel's ephemeral range (32768+), which port 0 takes from. */
export async function freePorts (count: number) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = 10_000 + Math.floor(Math.random() * 22_000)
    let free = true
    for (let port = first; port < first + count && free; port++) free = await isFree(port)
    if (free) return first
  }
  throw new Error(`no ${count} free consecutive ports found`)
}
