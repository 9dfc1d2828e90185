import { Type, type Static, type TSchema } from 'typebox'

/** Bumped only when something in PROTOCOL.md is renamed or removed. */
export const PROTOCOL_VERSION = 1

export const Namespaces = {
  chat: '/chat',
  notifications: '/notifications',
  ticker: '/ticker'
} as const
export type NamespaceName = keyof typeof Namespaces

export const SOCKET_PATH = '/socket.io'

/**
 * The closed set of error codes, with the HTTP status each one maps to.
 * (`invalid_payload` is also HTTP 413 for a body over the size limit, 414 for an over-long path
 * part and 431 for headers over the limit.)
 */
export const ErrorStatus = {
  invalid_payload: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
  internal: 500
} as const
export type ErrorCode = keyof typeof ErrorStatus
export const ErrorCodes = Object.keys(ErrorStatus) as ErrorCode[]

/** Handshake refusals, sent as the `connect_error` message. */
export const ConnectErrors = {
  protocolMismatch: 'protocol_mismatch',
  unauthorized: 'unauthorized',
  /** Socket.IO's own answer for a namespace that does not exist; the main namespace `/` gets it too. */
  invalidNamespace: 'Invalid namespace'
} as const

export const ErrorSchema = Type.Object({
  code: Type.Enum(ErrorCodes),
  message: Type.String(),
  retryAfterMs: Type.Optional(Type.Integer({
    minimum: 0,
    description: 'with `rate_limited`: milliseconds until a retry can succeed (over HTTP also the `Retry-After` header, in seconds)'
  }))
})
export type ErrorInfo = Static<typeof ErrorSchema>

export const ErrorBodySchema = Type.Object({ error: ErrorSchema })
export type ErrorBody = Static<typeof ErrorBodySchema>

export type AckResult<T> = { ok: true, data: T } | { ok: false, error: ErrorInfo }
export type Ack<T> = (result: AckResult<T>) => void

/** The handshake `auth` object every client may send. */
export const HandshakeAuthSchema = Type.Object({
  token: Type.Optional(Type.String()),
  protocolVersion: Type.Optional(Type.Number())
})
export type HandshakeAuth = Static<typeof HandshakeAuthSchema>

/**
 * One command: the schema of its payload and of the data in its ack.
 * A catalog of commands is the single source of event types, validation and docs.
 */
export interface CommandSpec<P extends TSchema = TSchema, D extends TSchema = TSchema> {
  payload: P
  data: D
  summary: string
  /** Commands whose ack may be omitted (fire-and-forget, such as typing). */
  ackOptional?: boolean
  /** What the command draws from the command budgets (`Limits.commandsPer*`): 1 unless it is expensive to answer. */
  cost?: number
}
export interface PushSpec<P extends TSchema = TSchema> {
  payload: P
  summary: string
}
export type CommandCatalog = Record<string, CommandSpec>
export type PushCatalog = Record<string, PushSpec>

export const command = <P extends TSchema, D extends TSchema>(spec: CommandSpec<P, D>) => spec
export const push = <P extends TSchema>(spec: PushSpec<P>) => spec

/** Client-to-server event map derived from a command catalog. */
export type CommandEvents<C extends CommandCatalog> = {
  [K in keyof C]: (payload: Static<C[K]['payload']>, ack: Ack<Static<C[K]['data']>>) => void
}
/** Server-to-client event map derived from a push catalog. */
export type PushEvents<P extends PushCatalog> = {
  [K in keyof P]: (payload: Static<P[K]['payload']>) => void
}
export type CommandPayload<C extends CommandCatalog, K extends keyof C> = Static<C[K]['payload']>
export type CommandData<C extends CommandCatalog, K extends keyof C> = Static<C[K]['data']>
export type PushPayload<P extends PushCatalog, K extends keyof P> = Static<P[K]['payload']>

/** One HTTP route of the public API, for the server's route schemas and the docs. */
export interface RouteSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  url: string
  summary: string
  auth: 'none' | 'user' | 'publish-key'
  body?: TSchema
  /** What the body is when it is not JSON (an upload's bytes), for the docs. */
  rawBody?: string
  querystring?: TSchema
  params?: TSchema
  /** Each status's JSON body, null for none, or what its bytes are when it is not JSON (an image). */
  response: Record<number, TSchema | null | string>
}
export const route = <R extends RouteSpec>(spec: R) => spec
