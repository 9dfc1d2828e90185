import helmet from '@fastify/helmet'
import fp from 'fastify-plugin'
import { AppError } from '../errors.ts'
import { safeMethods, type OriginPolicy } from '../security/origin-policy.ts'

/** Security headers with a CSP the client satisfies, and an Origin check on every write. */
export const securityPlugin = fp<{ originAllowed: OriginPolicy, hsts: boolean }>(async (fastify, { originAllowed, hsts }) => {
  await fastify.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        // blob: for the composer's thumbnail of an image before it is uploaded.
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: hsts ? [] : null
      }
    },
    hsts,
    crossOriginEmbedderPolicy: false
  })
  fastify.addHook('onRequest', async (request) => {
    if (!safeMethods.has(request.method) && !originAllowed(request.raw)) {
      throw new AppError('forbidden', 'Requests from this origin are not allowed.')
    }
  })
}, { name: 'security' })
