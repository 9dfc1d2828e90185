import type { RouteSpec } from '../../shared/protocol.ts'

type Responses<R extends RouteSpec> = { [K in keyof R['response'] as R['response'][K] extends null | string ? never : K]: Exclude<R['response'][K], null | string> }

/** The Fastify schema of a shared route spec: its validated parts and its typed responses. */
export const routeSchema = <R extends RouteSpec>({ summary, body, querystring, params, response }: R) => ({
  summary,
  ...(body && { body }),
  ...(querystring && { querystring }),
  ...(params && { params }),
  response: Object.fromEntries(Object.entries(response).filter(([, schema]) => schema !== null && typeof schema !== 'string'))
}) as Pick<R, 'summary' | 'body' | 'querystring' | 'params'> & { response: Responses<R> }
