import assert from 'node:assert/strict'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { patchPostgresDriver } from '../../../server/storage/postgres/patch-postgres-driver.ts'

/** What the patch does to the connections is tested in postgres.test.ts (a transaction cut off); here, how it applies. */
describe('patchPostgresDriver', () => {
  const installed = join(import.meta.dirname, '..', '..', '..', 'node_modules', 'postgres')
  const builds = ['src', 'cjs/src', 'cf/src'].map((dir) => join(dir, 'connection.js'))
  let dir: string
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'hubbub-driver-'))
    for (const file of ['package.json', ...builds]) cpSync(join(installed, file), join(dir, file))
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('finds the installed driver mended (npm ci ran it) and leaves it as it is', () => {
    const before = builds.map((build) => readFileSync(join(dir, build), 'utf8'))
    assert.deepEqual(patchPostgresDriver(dir), builds.map((build) => `${build}: already mended`))
    assert.deepEqual(builds.map((build) => readFileSync(join(dir, build), 'utf8')), before)
  })

  it('refuses a driver whose text it does not know, naming the version and the build', () => {
    writeFileSync(join(dir, 'cjs/src/connection.js'), 'module.exports = function Connection () {}\n')
    assert.throws(() => patchPostgresDriver(dir), /^Error: postgres \d+\.\d+\.\d+: cjs\/src\/connection\.js is not the text/)
  })
})
