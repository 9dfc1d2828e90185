import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { describeDatabase, describeFailure, withoutPassword } from '../../../server/storage/describe-database.ts'

describe('describeDatabase', () => {
  it('names a PostgreSQL URL without its password, with each host and port', () => {
    assert.equal(describeDatabase('postgres://hubbub:s3cret@db.example:6543/hubbub'),
      'PostgreSQL at postgres://hubbub@db.example:6543/hubbub (host db.example, port 6543)')
    assert.equal(describeDatabase('postgresql://db.example/hubbub?search_path=x'),
      'PostgreSQL at postgresql://db.example/hubbub?search_path=x (host db.example, port 5432)')
    assert.equal(describeDatabase('postgres://u:pw@a:5432,b:5433/hubbub'),
      'PostgreSQL at postgres://u@a:5432,b:5433/hubbub (host a, port 5432; host b, port 5433)')
    assert.equal(describeDatabase('postgres:///hubbub'), 'PostgreSQL at postgres:///hubbub (host localhost, port 5432)')
    assert.equal(describeDatabase('sqlite:./data/hubbub.db'), 'SQLite file ./data/hubbub.db')
  })

  it('leaves out a password that holds an unencoded @ or colon', () => {
    const shown = withoutPassword('postgres://hubbub:p@ss:w0rd@db.example/hubbub')
    assert.equal(shown, 'postgres://hubbub@db.example/hubbub')
    assert.equal(withoutPassword('postgres://hubbub@db.example/hubbub'), 'postgres://hubbub@db.example/hubbub', 'no password, nothing to remove')
  })
})

describe('describeFailure', () => {
  it('gives the message on one line, with the code when the message does not say it', () => {
    assert.equal(describeFailure(Object.assign(new Error('database "x" does not exist'), { code: '3D000' })), 'database "x" does not exist (3D000)')
    assert.equal(describeFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })), 'connect ECONNREFUSED 127.0.0.1:1')
    assert.equal(describeFailure(new Error('two\n  lines')), 'two lines')
  })
})
