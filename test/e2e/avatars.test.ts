import assert from 'node:assert/strict'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import type { Locator, Page } from 'playwright-core'
import { AVATAR_SIDE } from '../../shared/images.ts'
import { RESULTS_DIR } from '../helpers/browser.ts'
import { twoPeopleSuite } from '../helpers/e2e-people.ts'
import { pngBytes, samples } from '../helpers/images.ts'

const composer = (page: Page) => page.getByRole('textbox', { name: /^Message / })
const log = (page: Page) => page.getByRole('log')
const shot = (page: Page, name: string) => page.screenshot({ path: join(RESULTS_DIR, `${name}.png`), animations: 'disabled' })

/** Opens the profile settings from the user menu. */
async function openSettings (page: Page, name: string) {
  await page.getByRole('banner').getByRole('button', { name }).click()
  await page.getByRole('menuitem', { name: 'Edit profile' }).click()
  const settings = page.getByRole('dialog', { name: 'Your profile' })
  await settings.waitFor()
  return settings
}

/** The uploaded picture in an avatar, once decoded: its URL and natural size. */
const picture = (avatar: Locator) => avatar.locator('img.chat-avatar-picture').evaluate(async (img: HTMLImageElement) => {
  await img.decode()
  return { src: img.getAttribute('src'), size: [img.naturalWidth, img.naturalHeight] }
})

/**
 * A 900 x 600 PNG of three upright stripes, red, green and blue, 300 pixels each: its centred
 * square (x 150-750) is a quarter red, half green, a quarter blue.
 */
const stripes = async (page: Page) => Buffer.from(await page.evaluate(() => {
  const canvas = document.createElement('canvas')
  canvas.width = 900
  canvas.height = 600
  const context = canvas.getContext('2d')!
  for (const [i, colour] of ['#ff0000', '#00ff00', '#0000ff'].entries()) {
    context.fillStyle = colour
    context.fillRect(i * 300, 0, 300, 600)
  }
  return canvas.toDataURL('image/png').split(',')[1]!
}), 'base64')

/** The colour (red, green or blue: the strongest channel) of the avatar's picture at these x on its middle row. */
const pixels = (avatar: Locator, xs: number[]) => avatar.locator('img.chat-avatar-picture').evaluate(async (img: HTMLImageElement, at: number[]) => {
  await img.decode()
  const canvas = document.createElement('canvas')
  canvas.width = img.naturalWidth
  canvas.height = img.naturalHeight
  const context = canvas.getContext('2d')!
  context.drawImage(img, 0, 0)
  return at.map((x) => {
    const [r, g, b] = context.getImageData(x, Math.floor(img.naturalHeight / 2), 1, 1).data
    return r! > g! && r! > b! ? 'red' : g! > b! ? 'green' : 'blue'
  })
}, xs)

/** The avatar beside the author's newest message group in the room. */
const lastAuthorAvatar = (page: Page) => log(page).locator('.chat-avatar').last()

describe('avatars in the browser', () => {
  const suite = twoPeopleSuite('/chat/general', 'avatars')
  const { step } = suite

  it('alice uploads a picture in her profile; bob sees it beside her messages at once, and back to the generated one', (t) => step(t, async () => {
    const { alice, bob } = suite
    for (const who of [alice, bob]) await who.page.getByRole('heading', { level: 1, name: 'general' }).waitFor()
    await composer(alice.page).fill('hello, this is my face')
    await composer(alice.page).press('Enter')
    await log(bob.page).getByText('hello, this is my face').waitFor()
    assert.equal(await lastAuthorAvatar(bob.page).textContent(), 'A', 'the generated avatar at first, with her initial')

    const settings = await openSettings(alice.page, 'alice')
    const file = settings.locator('input[type="file"]')
    // Refused in the browser before anything is sent, each with its reason.
    await file.setInputFiles({ name: 'drawing.svg', mimeType: 'image/svg+xml', buffer: samples.svg })
    await settings.getByRole('alert').filter({ hasText: 'Only PNG, JPEG, GIF and WebP images' }).waitFor()
    await file.setInputFiles({ name: 'broken.png', mimeType: 'image/png', buffer: samples.html })
    await settings.getByRole('alert').filter({ hasText: 'could not be read' }).waitFor()
    await shot(alice.page, 'avatars-settings-refused-light')

    // A wide photo: cropped to its centred square and scaled to AVATAR_SIDE before upload.
    await file.setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: await stripes(alice.page) })
    await settings.getByRole('button', { name: 'Use generated avatar' }).waitFor()
    await settings.getByRole('alert').waitFor({ state: 'detached' })
    const own = await picture(settings.locator('.profile-preview .chat-avatar'))
    assert.match(own.src ?? '', /^\/api\/avatars\/[\w-]+$/)
    assert.deepEqual(own.size, [AVATAR_SIDE, AVATAR_SIDE])
    await shot(alice.page, 'avatars-settings-light')

    // Bob did nothing: the push put her picture beside her message, and in her top bar on her side.
    await log(bob.page).locator(`img[src="${own.src}"]`).first().waitFor()
    const seen = await picture(lastAuthorAvatar(bob.page))
    assert.deepEqual(seen, own, 'the same picture, at its full size')
    assert.deepEqual(await pixels(lastAuthorAvatar(bob.page), [10, 75, 128, 180, 245]), ['red', 'green', 'green', 'green', 'blue'],
      'the centred square of her wide picture (squashed whole, x = 75 would be red and x = 180 blue)')
    assert.equal(await lastAuthorAvatar(bob.page).getAttribute('aria-hidden'), 'true', 'decorative: her name is beside it')
    assert.equal(await lastAuthorAvatar(bob.page).locator('img').getAttribute('alt'), '')
    assert.deepEqual((await picture(alice.page.getByRole('banner').locator('.chat-avatar'))).src, own.src)
    await shot(bob.page, 'avatars-chat-dark')

    // Bob's turn, in the dark theme; alice sees his in the light one.
    await alice.page.keyboard.press('Escape')
    await settings.waitFor({ state: 'detached' })
    const bobs = await openSettings(bob.page, 'bob')
    await bobs.locator('input[type="file"]').setInputFiles({ name: 'bob.png', mimeType: 'image/png', buffer: pngBytes(120, 160, { rgb: [0x2a, 0x8a, 0xe0] }) })
    await bobs.getByRole('button', { name: 'Use generated avatar' }).waitFor()
    const bobsOwn = await picture(bobs.locator('.profile-preview .chat-avatar'))
    assert.deepEqual(bobsOwn.size, [120, 120], 'a small picture is cropped, not enlarged')
    await shot(bob.page, 'avatars-settings-dark')
    await bob.page.keyboard.press('Escape')
    await composer(bob.page).fill('and mine')
    await composer(bob.page).press('Enter')
    await log(alice.page).getByText('and mine').waitFor()
    assert.deepEqual((await picture(lastAuthorAvatar(alice.page))).src, bobsOwn.src)
    await shot(alice.page, 'avatars-chat-light')

    // Back to the generated one: bob sees her initial again.
    const again = await openSettings(alice.page, 'alice')
    await again.getByRole('button', { name: 'Use generated avatar' }).click()
    await again.getByRole('button', { name: 'Upload a picture…' }).waitFor()
    await composer(bob.page).fill('still there?')
    await composer(bob.page).press('Enter')
    await log(bob.page).locator(`img[src="${own.src}"]`).first().waitFor({ state: 'detached' })
    assert.equal(await log(bob.page).locator('.chat-avatar').filter({ hasText: /^A$/ }).count() > 0, true, 'her initial beside her message again')
    // Past his browser's cache (it may keep what it was shown): the server serves it no more.
    const gone = await bob.page.evaluate(async (src) => (await fetch(src!, { cache: 'no-store' })).status, own.src)
    assert.equal(gone, 404, 'and from the server')
  }))
})
