import assert from 'node:assert/strict'
import { connect } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { startApp, type TestApp } from '../../helpers/app.ts'
import { api, assertHttpError, registerUser } from '../../helpers/http.ts'

/** Sends raw bytes to the server and resolves with everything it answers before closing. */
function rawExchange (url: string, request: string) {
  const { hostname, port } = new URL(url)
  return new Promise<string>((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(request))
    let answer = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk) => { answer += chunk })
    socket.on('close', () => resolve(answer))
    // The server may close while the request is still going out; what it answered still counts.
    socket.on('error', (error) => { if (answer === '') reject(error) })
  })
}

/** Splits a raw HTTP answer into its status, headers and parsed JSON body. */
function parseAnswer (answer: string) {
  const [head = '', body = ''] = answer.split('\r\n\r\n')
  const [statusLine = '', ...headerLines] = head.split('\r\n')
  const headers = new Headers(headerLines.map((line) => line.split(/:\s*/, 2) as [string, string]))
  let json: unknown = null
  try { json = JSON.parse(body) } catch { json = body }
  return { status: Number(statusLine.split(' ')[1]), body: json, headers }
}

describe('framework errors', () => {
  let t: TestApp
  let token: string
  before(async () => {
    t = await startApp()
    token = (await registerUser(t.url)).token
  })
  after(() => t.close())

  it('answer an over-long path parameter with 414 in the error envelope, not echoing it', async () => {
    const res = await api(t.url, 'GET', `/api/rooms/${'x'.repeat(500)}/members`, { token })
    const error = assertHttpError(res, 414, 'invalid_payload')
    assert.doesNotMatch(error.message, /xxxx/, `the message echoes the path: ${error.message}`)
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/)
  })

  it('answer bad percent-encoding with 400 in the error envelope', async () => {
    const res = await api(t.url, 'GET', '/api/rooms/%E0%A4%A/members', { token })
    assertHttpError(res, 400, 'invalid_payload')
  })

  it('answer a request that is not HTTP with 400 in the error envelope', async () => {
    const answer = parseAnswer(await rawExchange(t.url, 'HELLO THERE\r\n\r\n'))
    assertHttpError(answer, 400, 'invalid_payload')
    assert.equal(answer.headers.get('content-type'), 'application/json')
  })

  it('answer headers over the size limit with 431 in the error envelope', async () => {
    const answer = parseAnswer(await rawExchange(t.url, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`))
    assertHttpError(answer, 431, 'invalid_payload')
  })
})
