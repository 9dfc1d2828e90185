import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { IMAGE_MAX_BYTES, IMAGE_PENDING_TTL_MS, IMAGES_PENDING_PER_USER } from '../../../shared/limits.ts'
import { startApp, type TestApp } from '../../helpers/app.ts'
import { api, assertHttpError, registerUser, uniqueName } from '../../helpers/http.ts'
import { pngBytes, samples } from '../../helpers/images.ts'
import { nextEvent, send, socketsAs } from '../../helpers/sockets.ts'

type Person = Awaited<ReturnType<typeof registerUser>>
const roomy = { burst: 1000, perSecond: 1000 }

/** POSTs raw bytes as a browser's upload does. */
const upload = async (t: TestApp, who: Person, roomId: string, bytes: Buffer, type = 'image/png') => {
  const response = await fetch(`${t.url}/api/rooms/${roomId}/images`, {
    method: 'POST', headers: { authorization: `Bearer ${who.token}`, 'content-type': type }, body: new Uint8Array(bytes)
  })
  const text = await response.text()
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers }
}
const fetchImage = (t: TestApp, who: Person | null, imageId: string, headers: Record<string, string> = {}) =>
  fetch(`${t.url}/api/images/${imageId}`, { headers: { ...(who && { authorization: `Bearer ${who.token}` }), ...headers } })

/** Every unsent upload of the app, counted by deleting them (the purge with the clock far ahead). */
const purgeAll = (t: TestApp) => t.app.storage.images.deleteUnsent(Number.MAX_SAFE_INTEGER)

describe('images over HTTP', () => {
  let t: TestApp
  let alice: Person, bob: Person, carol: Person
  let roomId: string
  const sockets = socketsAs(() => t.url, '/chat')
  before(async () => {
    t = await startApp({ limits: { imageUpload: roomy } })
    ;[alice, bob, carol] = [await registerUser(t.url), await registerUser(t.url), await registerUser(t.url)]
    roomId = (await api(t.url, 'POST', '/api/rooms', { token: alice.token, body: { name: uniqueName('pics'), visibility: 'private' } })).body.room.id
    assert.equal((await api(t.url, 'POST', `/api/rooms/${roomId}/members`, { token: alice.token, body: { username: bob.user.username } })).status, 200)
  })
  after(async () => {
    sockets.closeAll()
    await t.close()
  })

  it('stores a member\'s PNG, shows it to its uploader only until sent, then to every member with the message', async () => {
    const bytes = pngBytes(40, 30)
    const res = await upload(t, alice, roomId, bytes, 'application/octet-stream')
    assert.equal(res.status, 201, JSON.stringify(res.body))
    assert.deepEqual(res.body, { imageId: res.body.imageId, mime: 'image/png', width: 40, height: 30, size: bytes.length })
    const { imageId } = res.body
    assert.equal((await fetchImage(t, alice, imageId)).status, 200, 'its uploader sees it before it is sent')
    assert.equal((await fetchImage(t, bob, imageId)).status, 404, 'nobody else does')

    const a = await sockets.as(alice)
    const b = await sockets.as(bob)
    assert.ok((await send(b, 'chat:join', { roomId })).ok)
    const pushed = nextEvent(b, 'chat:message')
    const sent = await send(a, 'chat:send', { roomId, text: '', clientId: `img-${process.pid}-1`, imageId })
    assert.ok(sent.ok, JSON.stringify(sent))
    const image = { id: imageId, mime: 'image/png', width: 40, height: 30, size: bytes.length }
    assert.deepEqual([sent.data.message.text, sent.data.message.image], ['', image])
    assert.deepEqual((await pushed).message.image, image, 'bob is told with the image')
    const history: any = await send(b, 'chat:history', { roomId })
    assert.deepEqual(history.data.messages.at(-1).image, image, 'history carries it')

    const served = await fetchImage(t, bob, imageId)
    assert.equal(served.status, 200)
    assert.deepEqual(Buffer.from(await served.arrayBuffer()), bytes, 'the same bytes')
    assert.equal(served.headers.get('content-type'), 'image/png')
    assert.equal(served.headers.get('x-content-type-options'), 'nosniff')
    assert.match(served.headers.get('content-security-policy') ?? '', /default-src 'none'.*sandbox/)
    assert.match(served.headers.get('cache-control') ?? '', /^private\b/)
    const etag = served.headers.get('etag')
    assert.ok(etag, 'an ETag')
    const again = await fetchImage(t, bob, imageId, { 'if-none-match': etag })
    assert.equal(again.status, 304, 'not sent again when the browser has it')
    assert.equal((await again.arrayBuffer()).byteLength, 0)
  })

  it('is 404 to a non-member, even with the ETag, and to nobody signed in 401', async () => {
    const { imageId } = (await upload(t, alice, roomId, pngBytes(2, 2))).body
    const a = await sockets.as(alice)
    assert.ok((await send(a, 'chat:send', { roomId, text: 'look', clientId: `img-${process.pid}-2`, imageId })).ok)
    const stranger = await fetchImage(t, carol, imageId)
    assert.equal(stranger.status, 404)
    assert.equal(stranger.headers.get('content-type')?.startsWith('application/json'), true)
    assert.equal((await fetchImage(t, carol, imageId, { 'if-none-match': `"${imageId}"` })).status, 404, 'the ETag proves nothing')
    assert.equal((await fetchImage(t, null, imageId)).status, 401)
  })

  it('refuses uploads to a room one does not belong to (403) or that does not exist (404)', async () => {
    assertHttpError(await upload(t, carol, roomId, pngBytes(2, 2)), 403, 'forbidden')
    assertHttpError(await upload(t, carol, 'no-such-room', pngBytes(2, 2)), 404, 'not_found')
  })

  it('puts an image in one message of its uploader in its room only', async () => {
    const a = await sockets.as(alice)
    const b = await sockets.as(bob)
    const { imageId } = (await upload(t, alice, roomId, pngBytes(2, 2))).body
    const bobs = await send(b, 'chat:send', { roomId, text: 'mine now', clientId: `img-${process.pid}-3`, imageId })
    assert.equal(bobs.ok ? 'ok' : bobs.error.code, 'not_found', 'someone else\'s upload')
    const elsewhere = await send(a, 'chat:send', { roomId: 'general', text: 'here', clientId: `img-${process.pid}-4`, imageId })
    assert.equal(elsewhere.ok ? 'ok' : elsewhere.error.code, 'not_found', 'another room')
    const first = await send(a, 'chat:send', { roomId, text: 'once', clientId: `img-${process.pid}-5`, imageId })
    assert.ok(first.ok, JSON.stringify(first))
    const retry = await send(a, 'chat:send', { roomId, text: 'once', clientId: `img-${process.pid}-5`, imageId })
    assert.deepEqual(retry.ok && retry.data.message, first.data.message, 'a retry gets the same message')
    const twice = await send(a, 'chat:send', { roomId, text: 'twice', clientId: `img-${process.pid}-6`, imageId })
    assert.equal(twice.ok ? 'ok' : twice.error.code, 'conflict', 'an image goes in one message')
    const empty = await send(a, 'chat:send', { roomId, text: '', clientId: `img-${process.pid}-7` })
    assert.equal(empty.ok ? 'ok' : empty.error.code, 'invalid_payload', 'no text needs an image')
    const unknown = await send(a, 'chat:send', { roomId, text: '', clientId: `img-${process.pid}-8`, imageId: 'nope' })
    assert.equal(unknown.ok ? 'ok' : unknown.error.code, 'not_found')
    const last: any = await send(a, 'chat:history', { roomId })
    assert.equal(last.data.messages.at(-1).id, first.data.message.id, 'nothing refused was stored')
  })

  it('takes the image away with its deleted message', async () => {
    const a = await sockets.as(alice)
    const { imageId } = (await upload(t, alice, roomId, pngBytes(2, 2))).body
    const sent: any = await send(a, 'chat:send', { roomId, text: 'oops', clientId: `img-${process.pid}-9`, imageId })
    assert.equal((await fetchImage(t, bob, imageId)).status, 200)
    const deleted: any = await send(a, 'chat:delete', { messageId: sent.data.message.id })
    assert.equal(deleted.data.message.image, undefined)
    assert.equal((await fetchImage(t, bob, imageId)).status, 404)
    assert.equal((await fetchImage(t, alice, imageId)).status, 404)
  })
})

describe('image uploads refused', () => {
  let t: TestApp
  let alice: Person
  let clock = 1_000_000
  const sockets = socketsAs(() => t.url, '/chat')
  before(async () => {
    t = await startApp({ limits: { imageUpload: roomy }, now: () => clock })
    alice = await registerUser(t.url)
    const a = await sockets.as(alice)
    assert.ok((await send(a, 'chat:join', { roomId: 'general' })).ok)
  })
  after(async () => {
    sockets.closeAll()
    await t.close()
  })

  it('refuses SVG, HTML, text and an empty body by their bytes, whatever their type says, storing nothing', async () => {
    for (const [bytes, type] of [[samples.svg, 'image/svg+xml'], [samples.svg, 'image/png'], [samples.html, 'image/png'], [samples.text, 'application/octet-stream'], [Buffer.alloc(0), 'image/png']] as const) {
      const error = assertHttpError(await upload(t, alice, 'general', bytes, type), 400, 'invalid_payload')
      assert.match(error.message, /not a PNG, JPEG, GIF or WebP image/)
    }
    assertHttpError(await upload(t, alice, 'general', pngBytes(1, 1), 'application/json'), 400, 'invalid_payload')
    // A PNG header saying 10,000 x 10,000: more pixels than any viewer should have to decode.
    const huge = pngBytes(1, 1)
    huge.writeUInt32BE(10_000, 16)
    huge.writeUInt32BE(10_000, 20)
    assert.match(assertHttpError(await upload(t, alice, 'general', huge), 400, 'invalid_payload').message, /10000 x 10000 pixels/)
    assert.equal(await purgeAll(t), 0, 'nothing stored')
  })

  it(`takes ${IMAGE_MAX_BYTES / 1024 / 1024} MiB and refuses one byte more with 413`, async () => {
    const largest = pngBytes(4, 4, { pad: IMAGE_MAX_BYTES - pngBytes(4, 4, { pad: 1 }).length + 1 })
    assert.equal(largest.length, IMAGE_MAX_BYTES)
    assert.equal((await upload(t, alice, 'general', largest)).status, 201)
    const over = pngBytes(4, 4, { pad: IMAGE_MAX_BYTES - pngBytes(4, 4, { pad: 1 }).length + 2 })
    assertHttpError(await upload(t, alice, 'general', over), 413, 'invalid_payload')
    assert.equal(await purgeAll(t), 1, 'only the one that fit')
  })

  it(`keeps ${IMAGES_PENDING_PER_USER} unsent uploads per user; sending one makes room`, async () => {
    const ids = []
    for (let i = 0; i < IMAGES_PENDING_PER_USER; i++) ids.push((await upload(t, alice, 'general', pngBytes(1, 1))).body.imageId)
    const error = assertHttpError(await upload(t, alice, 'general', pngBytes(1, 1)), 409, 'conflict')
    assert.match(error.message, /waiting to be sent/)
    const a = await sockets.as(alice)
    assert.ok((await send(a, 'chat:send', { roomId: 'general', text: '', clientId: `pending-${process.pid}`, imageId: ids[0] })).ok)
    assert.equal((await upload(t, alice, 'general', pngBytes(1, 1))).status, 201)
    assert.equal(await purgeAll(t), IMAGES_PENDING_PER_USER)
  })

  it('lets an unsent upload expire after an hour: it can no longer be sent, and the purge deletes it', async () => {
    const { imageId } = (await upload(t, alice, 'general', pngBytes(1, 1))).body
    clock += IMAGE_PENDING_TTL_MS
    const a = await sockets.as(alice)
    const late = await send(a, 'chat:send', { roomId: 'general', text: 'late', clientId: `late-${process.pid}`, imageId })
    assert.equal(late.ok ? 'ok' : late.error.code, 'not_found', JSON.stringify(late))
    assert.equal(await t.app.images.purgeUnsent(), 1)
    assert.equal((await fetchImage(t, alice, imageId)).status, 404)
  })
})

describe('image upload rate limit', () => {
  let t: TestApp
  before(async () => { t = await startApp({ limits: { imageUpload: { burst: 2, perSecond: 1 / 3600 } } }) })
  after(() => t.close())

  it('refuses uploads past the budget with 429 and when to retry, each user apart', async () => {
    const alice = await registerUser(t.url)
    for (let i = 0; i < 2; i++) assert.equal((await upload(t, alice, 'general', pngBytes(1, 1))).status, 403, 'counted even when refused after')
    assertHttpError(await upload(t, alice, 'general', pngBytes(1, 1)), 429, 'rate_limited')
    const bob = await registerUser(t.url)
    assertHttpError(await upload(t, bob, 'general', pngBytes(1, 1)), 403, 'forbidden')
  })
})
