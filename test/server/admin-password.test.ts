import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { compare } from 'bcryptjs'
import { loadConfig } from '../../server/config.ts'

const script = join(import.meta.dirname, '..', '..', 'server', 'admin-password.ts')

/** server/admin-password.ts with `input` on its stdin (not a terminal): its exit code and output. */
function run (input: string) {
  return new Promise<{ code: number, stdout: string, stderr: string }>((resolve) => {
    const child = execFile(process.execPath, [script], { timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr })
    })
    child.stdin!.end(input)
  })
}

describe('npm run admin:password', () => {
  it('prints a bcrypt hash of the password on stdin, without its final newline, that the settings accept', async () => {
    const { code, stdout, stderr } = await run('correct horse\n')
    assert.equal(code, 0, `expected exit 0; stderr: ${stderr}`)
    const hash = stdout.trim()
    assert.match(hash, /^\$2b\$12\$[./A-Za-z0-9]{53}$/, `expected a bcrypt hash of cost 12, got ${JSON.stringify(stdout)}`)
    assert.equal(await compare('correct horse', hash), true, 'the hash matches the password')
    assert.equal(loadConfig({ ADMIN_UI_USERNAME: 'ops', ADMIN_UI_PASSWORD_HASH: hash }).adminUi?.passwordHash, hash)
  })

  it('refuses an empty password and one longer than bcrypt reads', async () => {
    for (const [input, message] of [['\n', /No password given/], ['x'.repeat(73), /longer than bcrypt reads/]] as const) {
      const { code, stdout, stderr } = await run(input)
      assert.equal(code, 1, `expected exit 1 for ${JSON.stringify(input)}; stdout: ${stdout}`)
      assert.equal(stdout, '', 'no hash is printed')
      assert.match(stderr, message)
    }
  })
})
