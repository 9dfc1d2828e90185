import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.ts'
import { ConfigError, loadConfig } from './config.ts'
import { listenOptions } from './listen-options.ts'

function readConfig () {
  try {
    return loadConfig()
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    process.stderr.write(`Hubbub cannot start: ${error.message}\n`)
    process.exit(1)
  }
}

const config = readConfig()
const app = await buildApp(config)

closeWithGrace({ delay: 10_000, logger: false }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'closing after an uncaught error')
  else app.log.info({ signal }, 'closing')
  await app.close()
})

await app.listen(listenOptions(config))
const address = app.server.address()
const port = typeof address === 'object' && address ? address.port : config.port
const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host
process.stdout.write(`Hubbub is running at http://${host.includes(':') ? `[${host}]` : host}:${port}\n`)
