/**
 * `npm run cluster`: CLUSTER_NODES nodes (default 3) on the ports after PORT (default 3000), on the
 * local Redis and PostgreSQL, behind HAProxy on PORT. Prints the address; Ctrl+C stops everything.
 */
import { spawnSync } from 'node:child_process'
import postgres from 'postgres'
import { launchCluster } from './cluster/launcher.ts'
import { connectRedis } from './cluster/redis.ts'
import { StartupError } from './errors.ts'
import { describeDatabase, describeFailure } from './storage/describe-database.ts'

const env = {
  REDIS_URL: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
  DATABASE_URL: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/hubbub'
}
const port = Number(process.env.PORT || 3000)
const count = Number(process.env.CLUSTER_NODES || 3)
const haproxy = process.env.HAPROXY || 'haproxy'
const quiet = { warn () {}, info () {} }

function fail (message: string): never {
  process.stderr.write(`Hubbub cluster cannot start: ${message}\n`)
  process.exit(1)
}

/** The database, created when the server answers but does not have it yet (a first run). */
async function ensureDatabase (url: string) {
  const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} })
  try {
    await sql`SELECT 1`
  } catch (error) {
    if ((error as { code?: string }).code !== '3D000') throw new StartupError(`${describeDatabase(url)} does not answer (${describeFailure(error)}). Start PostgreSQL or set DATABASE_URL.`)
    const target = new URL(url)
    const name = decodeURIComponent(target.pathname.slice(1))
    target.pathname = '/postgres'
    const admin = postgres(target.href, { max: 1, connect_timeout: 5, onnotice: () => {} })
    try {
      await admin`CREATE DATABASE ${admin(name)}`
      process.stdout.write(`Created the database ${name}\n`)
    } finally {
      await admin.end({ timeout: 1 })
    }
  } finally {
    await sql.end({ timeout: 1 })
  }
}

if (!Number.isInteger(port) || port < 1 || port + count > 65535) fail(`PORT must be a port number with ${count} free ports after it, got ${process.env.PORT}`)
if (!Number.isInteger(count) || count < 1 || count > 16) fail(`CLUSTER_NODES must be an integer from 1 to 16, got ${process.env.CLUSTER_NODES}`)
if (spawnSync(haproxy, ['-v']).error) fail(`HAProxy (${haproxy}) is not installed. On Debian or Ubuntu: apt-get install haproxy (or set HAPROXY to its path).`)
try {
  await (await connectRedis(env.REDIS_URL, quiet)).close()
  await ensureDatabase(env.DATABASE_URL)
} catch (error) {
  fail(error instanceof StartupError ? error.message : describeFailure(error))
}

const cluster = await launchCluster({
  port,
  count,
  env,
  haproxy,
  output: (name, line) => process.stdout.write(`${name.padEnd(7)} | ${line}\n`)
}).catch((error: Error) => fail(error.message))

process.stdout.write(`Hubbub is running at http://localhost:${port} (${count} nodes: ${cluster.nodes.map((node) => `${node.name} on ${node.port}`).join(', ')}; Ctrl+C stops them)\n`)
let stopping = false
const stop = async () => {
  if (stopping) return
  stopping = true
  process.stdout.write('Stopping the nodes and the front door...\n')
  await cluster.close()
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
