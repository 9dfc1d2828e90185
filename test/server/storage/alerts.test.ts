import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { isAppError } from '../../../server/errors.ts'
import { createSqliteStorage } from '../../../server/storage/sqlite/sqlite-storage.ts'
import type { Storage } from '../../../server/storage/types.ts'

let storage: Storage
let users = 0
const newUser = async () => (await storage.users.create({ username: `alerter${++users}`, passwordHash: 'x', now: 0 })).id
const input = (userId: string, over: Partial<{ symbol: string, direction: 'above' | 'below', price: number, now: number, maxPending: number }> = {}) =>
  ({ userId, symbol: 'QLFX', direction: 'above' as const, price: 150.5, now: 1000, maxPending: 50, ...over })

before(() => { storage = createSqliteStorage(':memory:') })
after(() => storage.close())

describe('SQLite alert store', () => {
  it('creates an alert and lists it among the user\'s pending ones, oldest first', async () => {
    const alice = await newUser()
    const bob = await newUser()
    const first = await storage.alerts.create(input(alice, { now: 1000 }))
    const second = await storage.alerts.create(input(alice, { symbol: 'QSH.A', direction: 'below', price: 0.01, now: 2000 }))
    await storage.alerts.create(input(bob))
    assert.deepEqual(first, { id: first.id, userId: alice, symbol: 'QLFX', direction: 'above', price: 150.5, createdAt: 1000 })
    assert.deepEqual(await storage.alerts.listPending(alice), [first, second])
    assert.equal((await storage.alerts.listPending(bob)).length, 1)
  })

  it('refuses a user\'s alert past the limit with conflict, counting only pending ones', async () => {
    const carol = await newUser()
    const made = []
    for (let i = 0; i < 3; i++) made.push(await storage.alerts.create(input(carol, { maxPending: 3 })))
    await assert.rejects(storage.alerts.create(input(carol, { maxPending: 3 })), (error) => {
      assert.ok(isAppError(error), `expected an AppError, got ${String(error)}`)
      assert.equal(error.code, 'conflict')
      assert.match(error.message, /3 pending alerts/)
      return true
    })
    assert.equal((await storage.alerts.listPending(carol)).length, 3, 'nothing stored past the limit')
    assert.equal(await storage.alerts.markTriggered(made[0]!.id, 5000), true)
    await storage.alerts.create(input(carol, { maxPending: 3 }))
    assert.equal((await storage.alerts.listPending(carol)).length, 3, 'a fired alert frees its place')
  })

  it('marks an alert triggered exactly once, and a triggered alert is no longer pending', async () => {
    const dave = await newUser()
    const alert = await storage.alerts.create(input(dave))
    const results = await Promise.all([1, 2, 3].map(() => storage.alerts.markTriggered(alert.id, 3000)))
    assert.deepEqual(results.sort(), [false, false, true], 'only one caller wins')
    assert.deepEqual(await storage.alerts.listPending(dave), [])
    assert.ok(!(await storage.alerts.allPending()).some((a) => a.id === alert.id))
    assert.equal(await storage.alerts.markTriggered('no-such-id', 3000), false)
  })

  it('deletes only the owner\'s pending alert', async () => {
    const erin = await newUser()
    const frank = await newUser()
    const alert = await storage.alerts.create(input(erin))
    assert.equal(await storage.alerts.delete(alert.id, frank), false, 'someone else\'s alert is not found')
    assert.equal(await storage.alerts.delete(alert.id, erin), true)
    assert.equal(await storage.alerts.delete(alert.id, erin), false, 'deleting twice finds nothing')
    assert.equal(await storage.alerts.markTriggered(alert.id, 4000), false, 'a deleted alert never fires')
    const fired = await storage.alerts.create(input(erin))
    await storage.alerts.markTriggered(fired.id, 4000)
    assert.equal(await storage.alerts.delete(fired.id, erin), false, 'a fired alert is no longer pending')
  })

  it('loads every pending alert of every user at start', async () => {
    const fresh = createSqliteStorage(':memory:')
    try {
      const a = (await fresh.users.create({ username: 'one', passwordHash: 'x', now: 0 })).id
      const b = (await fresh.users.create({ username: 'two', passwordHash: 'x', now: 0 })).id
      const kept = [await fresh.alerts.create(input(a)), await fresh.alerts.create(input(b, { direction: 'below', price: 10 }))]
      const gone = await fresh.alerts.create(input(b))
      await fresh.alerts.markTriggered(gone.id, 5000)
      const all = await fresh.alerts.allPending()
      assert.deepEqual(all.map((x) => x.id).sort(), kept.map((x) => x.id).sort())
      assert.deepEqual(all.find((x) => x.userId === b), kept[1])
    } finally {
      await fresh.close()
    }
  })
})
