import { hostname } from 'node:os'
import { Type, type Static } from 'typebox'
import { Value } from 'typebox/value'
import { StartupError } from './errors.ts'
import { createProxyTrust, LOOPBACK_PROXIES } from './security/client-address.ts'

const Flag = (defaultValue: boolean, description: string) => Type.Boolean({ default: defaultValue, description })
const CommaList = (pattern: string, description: string) =>
  Type.String({ default: '', pattern: `^\\s*(|${pattern}(\\s*,\\s*${pattern})*)\\s*$`, description })
/** An address, a CIDR (`10.0.0.0/8`, `fd00::/8`) or one of proxy-addr's names (`loopback`, `uniquelocal`). */
const PROXY = '([0-9A-Fa-f:.]+(/[0-9.]+)?|loopback|linklocal|uniquelocal)'

/**
 * Every setting, read from the environment: its type, its default (good for a first run) and
 * its description. `.env.example`, the README table and the error messages all come from here.
 */
export const ConfigSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000, description: 'TCP port to listen on (0 picks a free one)' }),
  HOST: Type.String({ pattern: '^\\S+$', default: 'localhost', description: 'Interface to listen on (0.0.0.0 for every interface)' }),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    default: 'warn', description: 'pino log level: fatal, error, warn, info, debug, trace or silent'
  }),
  DATABASE_URL: Type.String({
    pattern: '^(sqlite:.+|postgres(ql)?://.+)$',
    default: 'sqlite:./data/hubbub.db',
    description: 'sqlite:<file> (the embedded database, one process) or postgres://user:password@host:port/database (PostgreSQL, shared by several processes)'
  }),
  DATABASE_POOL_SIZE: Type.Integer({
    minimum: 1,
    maximum: 100,
    default: 10,
    description: 'Most connections one process opens to PostgreSQL (unused with SQLite)'
  }),
  REDIS_URL: Type.String({
    default: '',
    pattern: '^(|rediss?://\\S+)$',
    description: 'redis://[user:password@]host:port[/db] to run as one node of several (shared Socket.IO adapter, presence, limits and one market); empty for a single process'
  }),
  REDIS_PREFIX: Type.String({
    default: 'hubbub:',
    pattern: '^[A-Za-z0-9_:.-]{1,64}$',
    description: 'Prefix of every Redis key and channel Hubbub uses (several installations can share one Redis)'
  }),
  NODE_NAME: Type.String({
    default: '',
    pattern: '^(|[A-Za-z0-9_.:-]{1,64})$',
    description: 'This node\'s name in logs, /metrics and the admin UI; empty for <host name>-<port>'
  }),
  RECOVERY_WINDOW_SECONDS: Type.Integer({
    minimum: 0,
    maximum: 600,
    default: 30,
    description: 'How long a dropped connection can come back and receive the pushes it missed without asking (Socket.IO connection-state recovery); 0 turns it off. Longer gaps catch up by seq'
  }),
  RECOVERY_BUFFER_MB: Type.Integer({
    minimum: 1,
    maximum: 4096,
    default: 64,
    description: 'Most memory one node keeps per namespace for connection-state recovery (one process; with Redis the stream is trimmed instead); the oldest pushes go first, and clients that missed them catch up by seq'
  }),
  SHUTDOWN_DRAIN_SECONDS: Type.Integer({
    minimum: 0,
    maximum: 8,
    default: 0,
    description: 'On SIGTERM, how long a node answers /readyz with 503 and refuses new connections before it drops its clients, so that a front door stops sending clients to it first (3 behind HAProxy checking every second); 0 alone'
  }),
  ALLOWED_ORIGINS: CommaList('https?://[^,\\s/]+', 'Extra origins (comma-separated) allowed to open sockets and send API writes; the app\'s own origin always is'),
  COOKIE_SECURE: Flag(false, 'Mark the session cookie Secure (true when served over HTTPS)'),
  TRUST_PROXY: Type.String({
    default: 'false',
    pattern: `^\\s*(true|false|TRUE|FALSE|True|False|1|0|${PROXY}(\\s*,\\s*${PROXY})*)\\s*$`,
    description: 'The proxies whose X-Forwarded-For and X-Forwarded-Proto are believed: false (none), true (loopback only: 127.0.0.1/8 and ::1), or their addresses and CIDRs, comma-separated'
  }),
  SESSION_TTL_HOURS: Type.Integer({ minimum: 1, maximum: 8760, default: 720, description: 'How long a session lasts, in hours' }),
  PUBLISH_KEYS: CommaList('[^,\\s]{16,}', 'Keys (comma-separated, 16+ characters each) that may call POST /api/notifications'),
  METRICS_TOKEN: Type.String({
    default: '',
    pattern: '^(|\\S{16,})$',
    description: 'Token (16+ characters) that GET /metrics then requires as Authorization: Bearer; when empty, /metrics answers only direct loopback requests (no X-Forwarded-For)'
  }),
  ADMIN_UI_USERNAME: Type.String({
    default: '',
    pattern: '^(|\\S{1,64})$',
    description: 'Username of the Socket.IO Admin UI at /admin/ (with ADMIN_UI_PASSWORD_HASH); empty turns the admin UI off'
  }),
  ADMIN_UI_PASSWORD_HASH: Type.String({
    default: '',
    pattern: '^(|\\$2[aby]\\$(0[4-9]|[12]\\d|3[01])\\$[./A-Za-z0-9]{53})$',
    description: 'bcrypt hash of the admin UI password, as `npm run admin:password` prints it (in a shell, single-quote it: it contains $)'
  }),
  ADMIN_UI_MODE: Type.Enum(['production', 'development'], {
    default: 'production',
    description: 'production: the admin UI shows servers, namespaces and traffic counts; development adds every socket, its rooms and every event with its payload, at a cost on each event (docs/operations.md)'
  }),
  SERVE_CLIENT: Flag(true, 'Serve the built client from dist/client'),
  TICKER_SEED: Type.String({ minLength: 1, maxLength: 200, default: 'hubbub', description: 'Seed of the simulated market: the same seed gives the same price series' }),
  SOCKET_BUFFER_KB: Type.Integer({
    minimum: 64,
    maximum: 1_048_576,
    default: 1024,
    description: 'Most KiB that may wait to be sent to one connection; a client that reads slower is disconnected, reconnects and catches up'
  }),
  TICKER_HZ: Type.Number({ minimum: 0.5, maximum: 50, default: 4, description: 'Market ticks per second (0.5-50); each client gets at most one quotes frame per tick' })
})
export type Settings = Static<typeof ConfigSchema>
export type SettingName = keyof Settings
export const settingNames = Object.keys(ConfigSchema.properties) as SettingName[]

export class ConfigError extends StartupError {}

/** Settings whose values never appear in messages or logs. */
const secrets = new Set<SettingName>(['PUBLISH_KEYS', 'DATABASE_URL', 'REDIS_URL', 'METRICS_TOKEN', 'ADMIN_UI_PASSWORD_HASH'])

const list = (value: string) => value.split(',').map((item) => item.trim()).filter(Boolean)

/** TRUST_PROXY as the list of trusted proxies; the old flag values keep working, `true` meaning loopback. */
const proxyList = (value: string) => {
  const flag = value.trim().toLowerCase()
  if (flag === 'false' || flag === '0') return []
  if (flag === 'true' || flag === '1') return [...LOOPBACK_PROXIES]
  return list(value)
}

/** Reads and validates the environment; a bad value throws a ConfigError naming the variable. */
export function loadConfig (env: Record<string, string | undefined> = process.env) {
  const givenNames = settingNames.filter((name) => env[name] !== undefined && env[name] !== '')
  const given = Object.fromEntries(givenNames.map((name) => [name, env[name]]))
  const settings = Value.Convert(ConfigSchema, Value.Default(ConfigSchema, given))
  // Convert truncates "1.5" to 1 and reads "0x10" as 16; an integer setting must be written as one.
  const inexact = givenNames.find((name) => (ConfigSchema.properties[name] as { type?: string }).type === 'integer' &&
    !/^\s*[+-]?\d+\s*$/.test(env[name]!))
  const invalid = (name: SettingName, message: string) => {
    const { description } = ConfigSchema.properties[name] as { description?: string }
    const shown = secrets.has(name) ? '' : `=${JSON.stringify(env[name])}`
    return new ConfigError(`Invalid ${name}${shown}: ${message}. Expected: ${description}`)
  }
  const [error] = inexact ? [{ instancePath: `/${inexact}`, message: 'must be integer' }] : Value.Errors(ConfigSchema, settings)
  if (error) throw invalid(error.instancePath.split('/')[1] as SettingName, error.message)
  const s = settings as Settings
  const trustedProxies = proxyList(s.TRUST_PROXY)
  try {
    createProxyTrust(trustedProxies)
  } catch (err) {
    throw invalid('TRUST_PROXY', (err as Error).message)
  }
  if ((s.ADMIN_UI_USERNAME === '') !== (s.ADMIN_UI_PASSWORD_HASH === '')) {
    throw s.ADMIN_UI_USERNAME === ''
      ? invalid('ADMIN_UI_PASSWORD_HASH', 'needs ADMIN_UI_USERNAME too')
      : invalid('ADMIN_UI_USERNAME', 'needs ADMIN_UI_PASSWORD_HASH too')
  }
  return {
    port: s.PORT,
    host: s.HOST,
    logLevel: s.LOG_LEVEL,
    databaseUrl: s.DATABASE_URL,
    databasePoolSize: s.DATABASE_POOL_SIZE,
    redisUrl: s.REDIS_URL === '' ? null : s.REDIS_URL,
    redisPrefix: s.REDIS_PREFIX,
    nodeName: s.NODE_NAME === '' ? `${hostname()}-${s.PORT}` : s.NODE_NAME,
    recoveryWindowMs: s.RECOVERY_WINDOW_SECONDS * 1000,
    recoveryBufferBytes: s.RECOVERY_BUFFER_MB * 1024 * 1024,
    drainMs: s.SHUTDOWN_DRAIN_SECONDS * 1000,
    allowedOrigins: list(s.ALLOWED_ORIGINS),
    cookieSecure: s.COOKIE_SECURE,
    trustedProxies,
    sessionTtlMs: s.SESSION_TTL_HOURS * 3_600_000,
    publishKeys: list(s.PUBLISH_KEYS),
    metricsToken: s.METRICS_TOKEN === '' ? null : s.METRICS_TOKEN,
    adminUi: s.ADMIN_UI_USERNAME === '' ? null : { username: s.ADMIN_UI_USERNAME, passwordHash: s.ADMIN_UI_PASSWORD_HASH, mode: s.ADMIN_UI_MODE },
    serveClient: s.SERVE_CLIENT,
    socketBufferBytes: s.SOCKET_BUFFER_KB * 1024,
    tickerSeed: s.TICKER_SEED,
    tickerHz: s.TICKER_HZ
  }
}

export type Config = ReturnType<typeof loadConfig>
