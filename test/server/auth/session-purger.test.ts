import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { createSessionPurger, type Schedule } from '../../../server/auth/session-purger.ts'
import { createSqliteStorage } from '../../../server/storage/sqlite/sqlite-storage.ts'
import type { Storage } from '../../../server/storage/types.ts'
import { startApp } from '../../helpers/app.ts'

/** A schedule the test runs by hand: the callback, its period, and whether it was stopped. */
function manualSchedule () {
  const timer = { run: null as (() => void) | null, ms: 0, stopped: false }
  const schedule: Schedule = (run, ms) => {
    Object.assign(timer, { run, ms, stopped: false })
    return () => { timer.stopped = true }
  }
  return { timer, schedule }
}

describe('createSessionPurger', () => {
  let dir: string
  let storage: Storage
  let userId: string
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hubbub-purge-'))
    storage = createSqliteStorage(join(dir, 'hubbub.db'))
    userId = (await storage.users.create({ username: 'sleeper', passwordHash: 'h', now: 0 })).id
  })
  afterEach(async () => {
    await storage.close()
    rmSync(dir, { recursive: true, force: true })
  })

  /** Whether the row of this token hash is still stored (looked up at time 0, before any expiry). */
  const stored = async (tokenHash: string) => (await storage.sessions.find(tokenHash, 0)) !== null

  it('deletes expired sessions at start and on every tick of its timer, until stopped', async () => {
    let clock = 5_000
    const { timer, schedule } = manualSchedule()
    const purged: number[] = []
    const purger = createSessionPurger({ sessions: storage.sessions, now: () => clock, everyMs: 3_600_000, schedule, onPurged: (n) => purged.push(n), onError: assert.ifError })
    await storage.sessions.create({ tokenHash: 'expired', userId, now: 0, expiresAt: 1_000 })
    await storage.sessions.create({ tokenHash: 'later', userId, now: 0, expiresAt: 10_000 })

    await purger.start()
    assert.deepEqual(purged, [1], 'one expired session at start')
    assert.equal(await stored('expired'), false, 'the expired session is gone')
    assert.equal(await stored('later'), true, 'a live session stays')
    assert.equal(timer.ms, 3_600_000)

    clock = 20_000
    timer.run!()
    await purger.stop()
    assert.deepEqual(purged, [1, 1], 'the next tick deletes what expired since')
    assert.equal(await stored('later'), false)
    assert.equal(timer.stopped, true, 'stop cancels the timer')
  })

  it('reports a failing purge instead of throwing', async () => {
    const errors: unknown[] = []
    const purger = createSessionPurger({ sessions: { deleteExpired: async () => { throw new Error('disk on fire') } }, now: () => 0, everyMs: 1000, schedule: manualSchedule().schedule, onError: (error) => errors.push(error) })
    await purger.start()
    await purger.stop()
    assert.equal(errors.length, 1, `expected one reported error, got ${errors.length}`)
  })
})

describe('the app', () => {
  it('purges expired sessions when it starts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hubbub-purge-'))
    const storage = createSqliteStorage(join(dir, 'hubbub.db'))
    try {
      const { id } = await storage.users.create({ username: 'sleeper', passwordHash: 'h', now: 0 })
      await storage.sessions.create({ tokenHash: 'expired', userId: id, now: 0, expiresAt: 1_000 })
      const t = await startApp({ storage, now: () => 5_000 })
      await t.close()
      assert.equal(await storage.sessions.find('expired', 0), null, 'the expired session row is still stored')
    } finally {
      await storage.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
