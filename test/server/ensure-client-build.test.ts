import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { clientBuildState, ensureClientBuild, newestMtime } from '../../server/ensure-client-build.ts'

/** A project folder with client/, shared/ and vite.config.ts, every file dated `at` (seconds). */
function makeProject (at: number) {
  const root = mkdtempSync(join(tmpdir(), 'hubbub-build-'))
  for (const file of ['client/index.html', 'client/src/main.tsx', 'shared/protocol.ts', 'vite.config.ts']) {
    touch(join(root, file), at)
  }
  for (const dir of ['client/src', 'client', 'shared']) utimesSync(join(root, dir), at, at)
  return root
}

function touch (file: string, at: number) {
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, '')
  utimesSync(file, at, at)
}

const T = 1_700_000_000

describe('ensure-client-build', () => {
  let root: string
  let builds: string[]
  let printed: string[]
  const options = (env: Record<string, string> = {}) => ({
    root,
    env: { ...env },
    print: (line: string) => { printed.push(line) },
    build: async (at: string) => {
      builds.push(at)
      touch(join(at, 'dist', 'client', 'index.html'), T + 1000)
    }
  })

  beforeEach(() => {
    root = makeProject(T)
    builds = []
    printed = []
  })
  afterEach(() => rmSync(root, { recursive: true, force: true }))

  describe('newestMtime', () => {
    it('finds the newest file deep under a folder', () => {
      touch(join(root, 'client', 'src', 'deep', 'er', 'view.tsx'), T + 50)
      for (const dir of ['src/deep/er', 'src/deep', 'src']) utimesSync(join(root, 'client', dir), T, T)
      assert.equal(newestMtime(join(root, 'client')), (T + 50) * 1000)
    })

    it('is 0 for a path that does not exist', () => {
      assert.equal(newestMtime(join(root, 'nope')), 0)
    })
  })

  describe('clientBuildState', () => {
    it('is missing without dist/client/index.html', () => {
      assert.equal(clientBuildState(root), 'missing')
    })

    it('is fresh when the build is newer than every source', () => {
      touch(join(root, 'dist', 'client', 'index.html'), T + 10)
      assert.equal(clientBuildState(root), 'fresh')
    })

    for (const source of ['client/src/main.tsx', 'shared/protocol.ts', 'vite.config.ts']) {
      it(`is stale when ${source} changed after the build`, () => {
        touch(join(root, 'dist', 'client', 'index.html'), T + 10)
        utimesSync(join(root, source), T + 20, T + 20)
        assert.equal(clientBuildState(root), 'stale')
      })
    }

    it('is stale when a source file was deleted after the build (its folder changed)', () => {
      touch(join(root, 'dist', 'client', 'index.html'), T + 10)
      utimesSync(join(root, 'client', 'src'), T + 20, T + 20)
      assert.equal(clientBuildState(root), 'stale')
    })
  })

  describe('ensureClientBuild', () => {
    it('builds when the build is missing, printing one short line', async () => {
      assert.equal(await ensureClientBuild(options()), 'missing')
      assert.deepEqual(builds, [root])
      assert.equal(printed.length, 1, `printed: ${JSON.stringify(printed)}`)
      assert.match(printed[0]!, /^Building the client/)
    })

    it('builds when the build is stale', async () => {
      touch(join(root, 'dist', 'client', 'index.html'), T - 10)
      assert.equal(await ensureClientBuild(options()), 'stale')
      assert.deepEqual(builds, [root])
    })

    it('does nothing and prints nothing when the build is fresh', async () => {
      touch(join(root, 'dist', 'client', 'index.html'), T + 10)
      assert.equal(await ensureClientBuild(options()), 'fresh')
      assert.deepEqual({ builds, printed }, { builds: [], printed: [] })
    })

    it('skips the build when SERVE_CLIENT=false', async () => {
      assert.equal(await ensureClientBuild(options({ SERVE_CLIENT: 'false' })), 'skipped')
      assert.deepEqual({ builds, printed }, { builds: [], printed: [] })
    })

    it('leaves invalid settings to main.ts to report', async () => {
      assert.equal(await ensureClientBuild(options({ PORT: 'abc' })), 'skipped')
      assert.deepEqual(builds, [])
    })
  })
})
