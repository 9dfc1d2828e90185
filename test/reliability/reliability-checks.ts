import assert from 'node:assert/strict'
import { it } from 'node:test'
import type { LegitFigures, startLegitTraffic } from './legit-traffic.ts'
import type { Arena } from './start-arena.ts'
import { allowedChanges, countChanges, diffSnapshots, snapshotStorage, unexplainedChanges, type Ledger, type Snapshot } from './storage-changes.ts'

/** Every legitimate message was acked, and every other message of the room arrived once: no gap, no repeat. */
export function assertEveryMessageDelivered (figures: LegitFigures[]) {
  for (const user of figures) {
    assert.deepEqual(user.failures, [], `${user.username}'s own commands were refused`)
    assert.ok(user.sent > 0 && user.acked === user.sent, `${user.username} sent ${user.sent}, ${user.acked} acked`)
    assert.deepEqual(user.missing, [], `${user.username} never got these seqs`)
    assert.deepEqual(user.duplicates, [], `${user.username} got these seqs twice`)
    assert.equal(user.pushesReceived, user.pushesExpected, `${user.username}: pushes received vs expected`)
  }
}

/**
 * Every change in storage since `baseline` is one an accepted command may make (the ledger), and
 * the victim's rows are untouched. Returns the rows changed per table, for the figures.
 */
export function assertOnlyAllowedChanges (arena: Arena, baseline: Snapshot, ledger: Ledger) {
  const after = snapshotStorage(arena.dbFile)
  const changes = diffSnapshots(baseline, after)
  assert.deepEqual(unexplainedChanges(changes, after, ledger, arena.users.mallory.user.id), [], 'changes no accepted command explains')
  const carol = arena.users.carol.user.id
  const hers = (snapshot: Snapshot) => Object.values(snapshot).flatMap((rows) => [...rows.values()]).filter((row) => Object.values(row).includes(carol))
  assert.deepEqual(hers(after), hers(baseline), 'the victim\'s rows changed')
  return countChanges(changes)
}

/** No error in the server's log and no property added to Object.prototype (the server runs in this process). */
export function assertNoErrorsNorPollution (arena: Arena, prototypeNames: string[]) {
  assert.deepEqual(arena.errorLogs(), [], 'error log lines')
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype), prototypeNames, 'Object.prototype changed')
  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype.polluted exists')
}

/**
 * The two tests after an attack, each file's own: the legitimate users got every message, and
 * nothing was stored from a refused frame. `attack` gives what the file's `before` set up.
 */
export function testsOfTheAftermath (attack: () => { arena: Arena, legit: Awaited<ReturnType<typeof startLegitTraffic>>, baseline: Snapshot, ledger: Ledger }, figures: Record<string, unknown>) {
  it('meanwhile, a legitimate client sent and received every message: every seq once, no gaps', async () => {
    const legitClients = await attack().legit.stop()
    figures.legitClients = legitClients
    assertEveryMessageDelivered(legitClients)
  })

  it('stored nothing from a refused frame: every change is one an accepted command may make', () => {
    const { arena, baseline, ledger } = attack()
    figures.rowsChanged = assertOnlyAllowedChanges(arena, baseline, ledger)
    figures.allowedChanges = allowedChanges
  })
}
