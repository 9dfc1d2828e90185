/**
 * A store in a process of its own, for the storage contract's concurrency cases. Opens the store
 * at `url` (argv[2]), prints `ready`, waits for `go` on stdin (so that every worker starts at the
 * same moment), runs the task (argv[3], JSON), prints its result as one JSON line and exits.
 *   {"task":"append","roomId":…,"authorId":…,"count":500,"clientPrefix":"w1"}: `count` appends at once
 *   {"task":"migrate"}: applies the PostgreSQL migrations (the store is not opened first)
 */
import { createInterface } from 'node:readline'
import { createStorage } from '../../server/storage/create-storage.ts'
import { connectPostgres, migratePostgres } from '../../server/storage/postgres/open-postgres.ts'

type Task = { task: 'append', roomId: string, authorId: string, count: number, clientPrefix: string } | { task: 'migrate' }

const [url, taskJson] = process.argv.slice(2) as [string, string]
const task = JSON.parse(taskJson) as Task
const go = new Promise<void>((resolve) => createInterface({ input: process.stdin }).once('line', () => resolve()))

if (task.task === 'migrate') {
  const sql = connectPostgres(url, 1)
  await sql`SELECT 1`
  process.stdout.write('ready\n')
  await go
  const applied = await migratePostgres(sql)
  await sql.end()
  process.stdout.write(`${JSON.stringify({ applied })}\n`)
} else {
  const storage = await createStorage({ databaseUrl: url, databasePoolSize: 4 })
  process.stdout.write('ready\n')
  await go
  const results = await Promise.all(Array.from({ length: task.count }, (_, i) => storage.chat.appendMessage({
    roomId: task.roomId, authorId: task.authorId, text: `${task.clientPrefix} ${i}`, clientId: `${task.clientPrefix}-${i}`, now: i
  })))
  await storage.close()
  process.stdout.write(`${JSON.stringify({ appended: results.map(({ message, created }) => ({ id: message.id, seq: message.seq, clientId: message.clientId, created })) })}\n`)
}
process.exit(0)
