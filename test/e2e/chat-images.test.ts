import assert from 'node:assert/strict'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { RESULTS_DIR } from '../helpers/browser.ts'
import { twoPeopleSuite } from '../helpers/e2e-people.ts'
import { registerUser } from '../helpers/http.ts'
import { pngBytes, samples } from '../helpers/images.ts'

const composer = (page: Page) => page.getByRole('textbox', { name: /^Message / })
const log = (page: Page) => page.getByRole('log')
const fileInput = (page: Page) => page.locator('.composer input[type="file"]')
const ready = (page: Page) => page.locator('.composer-attachment[data-state="ready"]')

/** The natural size of the last image shown in the room, once it has loaded. */
const lastImageSize = (page: Page) => log(page).locator('.message-image img').last().evaluate(async (img: HTMLImageElement) => {
  await img.decode()
  return [img.naturalWidth, img.naturalHeight]
})

describe('chat images in the browser', () => {
  const suite = twoPeopleSuite('/chat/general', 'chat images')
  const { step } = suite

  it('uploads a picked image scaled down to 2,048 px; the other user sees the preview and opens the viewer', (t) => step(t, async () => {
    const { alice, bob } = suite
    for (const who of [alice, bob]) await who.page.getByRole('heading', { level: 1, name: 'general' }).waitFor()
    await fileInput(alice.page).setInputFiles({ name: 'wide.png', mimeType: 'image/png', buffer: pngBytes(3000, 1500) })
    await ready(alice.page).waitFor()
    await composer(alice.page).fill('the chart, wide')
    await composer(alice.page).press('Enter')
    await log(bob.page).getByText('the chart, wide').waitFor()
    assert.deepEqual(await lastImageSize(bob.page), [2048, 1024], 'scaled down in the browser before upload')
    await alice.page.screenshot({ path: join(RESULTS_DIR, 'chat-images-light.png'), animations: 'disabled' })

    await log(bob.page).getByRole('button', { name: 'Image from alice: open the viewer' }).last().click()
    const viewer = bob.page.getByRole('dialog', { name: 'Image from alice' })
    await viewer.waitFor()
    await viewer.locator('img').evaluate((img: HTMLImageElement) => img.decode())
    await bob.page.screenshot({ path: join(RESULTS_DIR, 'chat-images-viewer-dark.png'), animations: 'disabled' })
    await bob.page.keyboard.press('Escape')
    await viewer.waitFor({ state: 'detached' })
  }))

  it('sends a pasted image on its own; a non-member cannot fetch its URL', (t) => step(t, async () => {
    const { alice, bob, server } = suite
    const before = await log(bob.page).locator('.message-image').count()
    const bytes = [...pngBytes(64, 48, { rgb: [0xd0, 0x3b, 0x3b] })]
    await composer(alice.page).evaluate((field: HTMLTextAreaElement, data: number[]) => {
      const transfer = new DataTransfer()
      transfer.items.add(new File([new Uint8Array(data)], 'pasted.png', { type: 'image/png' }))
      field.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }))
    }, bytes)
    await ready(alice.page).waitFor()
    await composer(alice.page).press('Enter')
    await log(bob.page).locator('.message-image').nth(before).waitFor()
    assert.deepEqual(await lastImageSize(bob.page), [64, 48])
    const src = await log(bob.page).locator('.message-image img').last().getAttribute('src')
    assert.match(src ?? '', /^\/api\/images\/[\w-]+$/)

    const member = await bob.page.evaluate(async (url) => (await fetch(url)).status, src!)
    assert.equal(member, 200, 'a member fetches it')
    const stranger = await registerUser(server.url)
    const refused = await fetch(server.url + src, { headers: { authorization: `Bearer ${stranger.token}` } })
    assert.equal(refused.status, 404, 'someone outside the room gets nothing')
  }))

  it('refuses a file that is not an image it accepts, with the reason, and sends nothing', (t) => step(t, async () => {
    const { alice } = suite
    await fileInput(alice.page).setInputFiles({ name: 'drawing.svg', mimeType: 'image/svg+xml', buffer: samples.svg })
    const refusal = alice.page.locator('.composer-attachment[data-state="failed"]')
    await refusal.getByText('Only PNG, JPEG, GIF and WebP images can be sent.').waitFor()
    assert.equal(await alice.page.getByRole('button', { name: 'Send' }).isDisabled(), true)
    await alice.page.getByRole('button', { name: 'Remove image' }).click()
    await refusal.waitFor({ state: 'detached' })
  }))
})
