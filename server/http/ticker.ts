import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { tickerRoutes } from '../../shared/ticker.ts'
import type { TickerService } from '../ticker/create-ticker-service.ts'
import { routeSchema } from './route-schema.ts'

/** The market over HTTP: the quote snapshot, for anyone, from the same service as the sockets. */
export const tickerRoutesPlugin: FastifyPluginAsyncTypebox<{ ticker: TickerService }> = async (fastify, { ticker }) => {
  const { quotes } = tickerRoutes

  fastify.get(quotes.url, { schema: routeSchema(quotes) }, async (request) => {
    const { symbols } = request.query
    // Each symbol is answered once (the service's snapshot), however often asked; the schema caps the list at 100.
    return { quotes: ticker.quotes(symbols?.split(',')) }
  })
}
