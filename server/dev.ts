import { spawn } from 'node:child_process'
import { createServer } from 'vite'

/**
 * `npm run dev`: the API server in watch mode on API_PORT (default 3001), and Vite with HMR on
 * PORT (default 3000) proxying /api and /socket.io (WebSocket included) to it.
 */
const port = Number(process.env.PORT ?? 3000)
const apiPort = Number(process.env.API_PORT ?? 3001)

const api = spawn(process.execPath, ['--watch', '--watch-path=server', '--watch-path=shared', 'server/main.ts'], {
  stdio: 'inherit',
  env: { ...process.env, PORT: String(apiPort), HOST: '127.0.0.1', SERVE_CLIENT: 'false', LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' }
})

process.env.HUBBUB_DEV_API = `http://127.0.0.1:${apiPort}`
const vite = await createServer({ server: { port, strictPort: true } })
await vite.listen()
vite.printUrls()

const stop = async () => {
  api.kill('SIGTERM')
  await vite.close()
  process.exit(0)
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
api.once('exit', (code) => {
  if (code !== null && code !== 0) process.stderr.write(`API server exited with code ${code}\n`)
})
