import assert from 'node:assert/strict'
import { beforeEach, describe, it } from 'node:test'
import type { Notification } from '../../shared/notifications.ts'
import { clearToasts, dismissToast, showToast, TOAST_MAX, toasts } from '../../client/src/notifications/toasts.ts'

const note = (n: number): Notification => ({ id: `n${n}`, kind: 'system', title: `t${n}`, body: '', url: null, createdAt: n, readAt: null })
const shown = () => toasts.value.map((toast) => toast.id)

describe('toasts', () => {
  beforeEach(clearToasts)

  it('stacks new toasts, newest last, each notification once', () => {
    showToast(note(1))
    showToast(note(2))
    showToast(note(1))
    assert.deepEqual(shown(), ['n2', 'n1'])
  })

  it('keeps at most TOAST_MAX, dropping the oldest', () => {
    for (let i = 1; i <= TOAST_MAX + 2; i++) showToast(note(i))
    assert.equal(toasts.value.length, TOAST_MAX)
    assert.equal(shown()[0], 'n3')
    assert.equal(shown().at(-1), `n${TOAST_MAX + 2}`)
  })

  it('dismisses one by id', () => {
    showToast(note(1))
    showToast(note(2))
    dismissToast('n1')
    assert.deepEqual(shown(), ['n2'])
  })
})
