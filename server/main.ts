import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.ts'
import { loadConfig } from './config.ts'
import { StartupError } from './errors.ts'
import { listenOptions } from './listen-options.ts'

/** A bad setting or a database that does not answer: one line for the operator, exit 1. */
function cannotStart (error: unknown): never {
  if (!(error instanceof StartupError)) throw error
  process.stderr.write(`Hubbub cannot start: ${error.message}\n`)
  process.exit(1)
}

function readConfig () {
  try {
    return loadConfig()
  } catch (error) {
    return cannotStart(error)
  }
}

const config = readConfig()
const app = await buildApp(config).catch(cannotStart)

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
