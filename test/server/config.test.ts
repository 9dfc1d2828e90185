import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ConfigError, ConfigSchema, loadConfig, settingNames } from '../../server/config.ts'

/** Runs loadConfig and returns its ConfigError, failing when it does not throw one. */
function configError (env: Record<string, string>) {
  try {
    const config = loadConfig(env)
    assert.fail(`expected a ConfigError for ${JSON.stringify(env)}, got ${JSON.stringify(config)}`)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    return error
  }
}

/** The settings this file knows; features add their own (and their own tests). */
const foundationSettings = ['port', 'host', 'logLevel', 'databaseUrl', 'allowedOrigins', 'cookieSecure', 'trustedProxies', 'sessionTtlMs', 'publishKeys', 'serveClient'] as const
const pick = (config: ReturnType<typeof loadConfig>, keys: readonly (keyof typeof config)[]) =>
  Object.fromEntries(keys.map((key) => [key, config[key]]))

describe('loadConfig', () => {
  it('gives first-run defaults when the environment sets nothing', () => {
    assert.deepEqual(pick(loadConfig({}), foundationSettings), {
      port: 3000,
      host: 'localhost',
      logLevel: 'warn',
      databaseUrl: 'sqlite:./data/hubbub.db',
      allowedOrigins: [],
      cookieSecure: false,
      trustedProxies: [],
      sessionTtlMs: 720 * 3_600_000,
      publishKeys: [],
      serveClient: true
    })
  })

  it('treats an empty variable as unset', () => {
    assert.deepEqual(loadConfig(Object.fromEntries(settingNames.map((name) => [name, '']))), loadConfig({}))
  })

  it('ignores variables that are not settings', () => {
    assert.deepEqual(loadConfig({ HOME: '/root', NODE_ENV: 'production' }), loadConfig({}))
  })

  it('has a default and a description for every setting', () => {
    for (const name of settingNames) {
      const schema = ConfigSchema.properties[name] as { default?: unknown, description?: string }
      assert.notEqual(schema.default, undefined, `${name} has no default`)
      assert.ok(schema.description, `${name} has no description`)
    }
  })

  it('converts numbers, booleans and comma-separated lists', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      LOG_LEVEL: 'debug',
      DATABASE_URL: 'sqlite:/var/lib/hubbub/hubbub.db',
      ALLOWED_ORIGINS: 'https://app.example,http://localhost:5173',
      COOKIE_SECURE: 'true',
      TRUST_PROXY: '1',
      SESSION_TTL_HOURS: '24',
      PUBLISH_KEYS: 'aaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbbbbbb',
      SERVE_CLIENT: 'false'
    })
    assert.deepEqual(pick(config, foundationSettings), {
      port: 8080,
      host: '0.0.0.0',
      logLevel: 'debug',
      databaseUrl: 'sqlite:/var/lib/hubbub/hubbub.db',
      allowedOrigins: ['https://app.example', 'http://localhost:5173'],
      cookieSecure: true,
      trustedProxies: ['127.0.0.1/8', '::1'],
      sessionTtlMs: 24 * 3_600_000,
      publishKeys: ['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbbbbbb'],
      serveClient: false
    })
  })

  it('reads false and 0 as false', () => {
    assert.equal(loadConfig({ COOKIE_SECURE: 'false' }).cookieSecure, false)
    assert.equal(loadConfig({ SERVE_CLIENT: '0' }).serveClient, false)
  })

  it('reads TRUST_PROXY as the trusted proxies: none, loopback for true, or the addresses and CIDRs given', () => {
    for (const value of ['false', '0', 'FALSE']) assert.deepEqual(loadConfig({ TRUST_PROXY: value }).trustedProxies, [], value)
    for (const value of ['true', '1', 'True']) assert.deepEqual(loadConfig({ TRUST_PROXY: value }).trustedProxies, ['127.0.0.1/8', '::1'], value)
    assert.deepEqual(loadConfig({ TRUST_PROXY: '10.0.0.7, 172.16.0.0/12,fd00::/8' }).trustedProxies, ['10.0.0.7', '172.16.0.0/12', 'fd00::/8'])
    assert.deepEqual(loadConfig({ TRUST_PROXY: 'loopback,uniquelocal' }).trustedProxies, ['loopback', 'uniquelocal'])
  })

  it('accepts port 0 (a free port)', () => {
    assert.equal(loadConfig({ PORT: '0' }).port, 0)
  })

  const badValues: [string, string][] = [
    ['PORT', 'abc'],
    ['PORT', '-1'],
    ['PORT', '65536'],
    ['PORT', '1.5'],
    ['PORT', '0x10'],
    ['LOG_LEVEL', 'loud'],
    ['DATABASE_URL', 'mysql://db.example/hubbub'],
    ['DATABASE_URL', 'sqlite:'],
    ['DATABASE_URL', 'postgres://'],
    ['DATABASE_URL', 'postgres:/db.example/hubbub'],
    ['DATABASE_POOL_SIZE', '0'],
    ['DATABASE_POOL_SIZE', '101'],
    ['DATABASE_POOL_SIZE', '2.5'],
    ['ALLOWED_ORIGINS', 'app.example'],
    ['ALLOWED_ORIGINS', 'https://app.example/path'],
    ['COOKIE_SECURE', 'maybe'],
    ['TRUST_PROXY', 'yes please'],
    ['TRUST_PROXY', 'proxy.internal'],
    ['TRUST_PROXY', '10.0.0.1,999.1.1.1'],
    ['TRUST_PROXY', '10.0.0.0/33'],
    ['SESSION_TTL_HOURS', '0'],
    ['SESSION_TTL_HOURS', '8761'],
    ['SESSION_TTL_HOURS', '2.5'],
    ['PUBLISH_KEYS', 'too-short'],
    ['PUBLISH_KEYS', 'aaaaaaaaaaaaaaaa,short'],
    ['SERVE_CLIENT', 'nope']
  ]
  for (const [name, value] of badValues) {
    it(`rejects ${name}=${JSON.stringify(value)} with a ConfigError naming ${name}`, () => {
      const error = configError({ [name]: value })
      assert.match(error.message, new RegExp(`\\b${name}\\b`), `message: ${error.message}`)
    })
  }

  it('names the first bad variable even when others are fine', () => {
    const error = configError({ PORT: '8080', HOST: '127.0.0.1', SESSION_TTL_HOURS: 'forever' })
    assert.match(error.message, /SESSION_TTL_HOURS/)
    assert.doesNotMatch(error.message, /\bPORT\b|\bHOST\b/)
  })

  it('shows the bad value of an ordinary setting, to help fix it', () => {
    assert.match(configError({ PORT: 'abc' }).message, /"abc"/)
  })

  it('never echoes the value of PUBLISH_KEYS', () => {
    const secret = 'hunter2-secret'
    const error = configError({ PUBLISH_KEYS: `aaaaaaaaaaaaaaaaaaaa,${secret}` })
    assert.match(error.message, /PUBLISH_KEYS/)
    assert.ok(!error.message.includes(secret), `the message echoes the key: ${error.message}`)
    assert.ok(!error.message.includes('aaaaaaaaaaaaaaaaaaaa'), `the message echoes the key: ${error.message}`)
  })

  it('never echoes the value of METRICS_TOKEN', () => {
    const error = configError({ METRICS_TOKEN: 'short secret' })
    assert.match(error.message, /METRICS_TOKEN/)
    assert.ok(!error.message.includes('short secret'), `the message echoes the token: ${error.message}`)
  })

  it('reads METRICS_TOKEN, none by default', () => {
    assert.equal(loadConfig({}).metricsToken, null)
    assert.equal(loadConfig({ METRICS_TOKEN: 'a-long-enough-token' }).metricsToken, 'a-long-enough-token')
  })

  it('accepts a PostgreSQL URL in either spelling, with a pool of 10 connections unless told', () => {
    for (const url of ['postgres://hubbub:pw@db.example:5432/hubbub', 'postgresql://db.example/hubbub']) {
      assert.equal(loadConfig({ DATABASE_URL: url }).databaseUrl, url)
    }
    assert.equal(loadConfig({}).databasePoolSize, 10)
    assert.equal(loadConfig({ DATABASE_POOL_SIZE: '4' }).databasePoolSize, 4)
  })

  it('never echoes the value of DATABASE_URL, which may hold a password', () => {
    const error = configError({ DATABASE_URL: 'mysql://hubbub:s3cret-pw@db.example/hubbub' })
    assert.match(error.message, /DATABASE_URL/)
    assert.ok(!error.message.includes('s3cret-pw'), `the message echoes the URL: ${error.message}`)
  })
})

describe('loadConfig ticker settings', () => {
  it('defaults to the hubbub seed at 4 ticks a second', () => {
    assert.deepEqual(pick(loadConfig({}), ['tickerSeed', 'tickerHz']), { tickerSeed: 'hubbub', tickerHz: 4 })
  })

  it('reads a seed and a fractional tick rate', () => {
    assert.deepEqual(pick(loadConfig({ TICKER_SEED: 'demo-1', TICKER_HZ: '0.5' }), ['tickerSeed', 'tickerHz']), { tickerSeed: 'demo-1', tickerHz: 0.5 })
    assert.equal(loadConfig({ TICKER_HZ: '50' }).tickerHz, 50)
  })

  for (const value of ['0.4', '51', '0', 'fast']) {
    it(`rejects TICKER_HZ=${JSON.stringify(value)} with a ConfigError naming it`, () => {
      assert.match(configError({ TICKER_HZ: value }).message, /\bTICKER_HZ\b/)
    })
  }
})

describe('loadConfig admin UI settings', () => {
  const hash = '$2b$04$vjnUcKf70FUg3JSs4svhmODe92m77gMt8SwDs5nVEBs4QS8RDPu5C'

  it('leaves the admin UI off by default', () => {
    assert.equal(loadConfig({}).adminUi, null)
  })

  it('reads the username, the bcrypt hash and the mode, production unless told', () => {
    assert.deepEqual(loadConfig({ ADMIN_UI_USERNAME: 'ops', ADMIN_UI_PASSWORD_HASH: hash }).adminUi, { username: 'ops', passwordHash: hash, mode: 'production' })
    assert.equal(loadConfig({ ADMIN_UI_USERNAME: 'ops', ADMIN_UI_PASSWORD_HASH: hash, ADMIN_UI_MODE: 'development' }).adminUi?.mode, 'development')
  })

  it('refuses a username without a hash and a hash without a username', () => {
    assert.match(configError({ ADMIN_UI_USERNAME: 'ops' }).message, /^Invalid ADMIN_UI_USERNAME="ops": needs ADMIN_UI_PASSWORD_HASH too/)
    assert.match(configError({ ADMIN_UI_PASSWORD_HASH: hash }).message, /^Invalid ADMIN_UI_PASSWORD_HASH: needs ADMIN_UI_USERNAME too/)
  })

  it('refuses a password in place of its hash, and never echoes it', () => {
    for (const value of ['hunter2-secret-password', `${hash.slice(0, -1)}`, hash.replace('$2b$04', '$2b$99')]) {
      const error = configError({ ADMIN_UI_USERNAME: 'ops', ADMIN_UI_PASSWORD_HASH: value })
      assert.match(error.message, /^Invalid ADMIN_UI_PASSWORD_HASH: /)
      assert.ok(!error.message.includes(value), `the message echoes the value: ${error.message}`)
    }
  })
})
