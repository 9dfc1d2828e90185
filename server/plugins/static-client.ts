import { existsSync } from 'node:fs'
import { join } from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { sendNotFound } from './errors.ts'

export const clientDir = join(import.meta.dirname, '..', '..', 'dist', 'client')

const isApiPath = (url: string) => /^\/(api|socket\.io|metrics|healthz|readyz|admin)(\/|\?|$)/.test(url)

/**
 * Serves the built client: hashed assets cached for a year, index.html always revalidated,
 * and index.html for any other GET that wants HTML, so deep links like /chat/general load the app.
 */
export const staticClientPlugin = fp(async (fastify) => {
  if (!existsSync(join(clientDir, 'index.html'))) {
    throw new Error(`The client is not built (no ${join('dist', 'client', 'index.html')}): run \`npm run build\`.`)
  }
  await fastify.register(fastifyStatic, {
    root: clientDir,
    wildcard: false,
    index: false,
    setHeaders (reply, path) {
      reply.header('cache-control', path.includes(`${join('client', 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache')
    }
  })
}, { name: 'static-client', dependencies: ['errors'] })

/** The not-found answer when the client is served: the app's page for page loads, JSON otherwise. */
export function sendPageOrNotFound (request: FastifyRequest, reply: FastifyReply) {
  // A page is any GET that is not for the API or a file and takes HTML (browsers, and `curl` with its */*).
  const accept = request.headers.accept ?? '*/*'
  const wantsPage = (request.method === 'GET' || request.method === 'HEAD') && !isApiPath(request.url) &&
    !/\.\w+$/.test(request.url.split('?')[0]!) && (accept.includes('text/html') || accept.includes('*/*'))
  if (wantsPage) return reply.header('cache-control', 'no-cache').sendFile('index.html')
  return sendNotFound(request, reply)
}
