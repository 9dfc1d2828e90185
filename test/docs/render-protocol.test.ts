import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Type } from 'typebox'
import { command, ErrorStatus, push, route } from '../../shared/protocol.ts'
import { renderProtocolDocs, type ProtocolCatalog } from '../../docs/render-protocol.ts'
import { createTypeRenderer } from '../../docs/render-schema.ts'
import { typeNamesOf } from '../../docs/type-names.ts'

const PetKindSchema = Type.Union([Type.Literal('cat'), Type.Literal('dog')])
const PetSchema = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64, description: 'an opaque id' }),
  kind: PetKindSchema,
  name: Type.String({ pattern: '^\\S+$' }),
  adoptedAt: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])
})
const EmptySchema = Type.Object({})

const catalog: ProtocolCatalog = {
  namespaces: [{
    path: '/pets',
    auth: 'a signed-in user',
    commands: {
      'pet:adopt': command({
        summary: 'Adopt a pet.',
        payload: Type.Object({ petId: Type.String(), note: Type.Optional(Type.String({ maxLength: 200 })), tags: Type.Array(Type.String(), { minItems: 1, maxItems: 5 }) }),
        data: Type.Object({ pet: PetSchema })
      }),
      'pet:purr': command({ summary: 'Purr.', payload: EmptySchema, data: EmptySchema, ackOptional: true })
    },
    pushes: {
      'pet:adopted': push({ summary: 'Someone adopted <a pet>.', payload: Type.Object({ pets: Type.Array(PetSchema) }) })
    }
  }],
  routes: [
    route({ method: 'GET', url: '/api/pets', summary: 'Every pet.', auth: 'none', querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })) }), response: { 200: Type.Object({ pets: Type.Array(PetSchema) }) } }),
    route({ method: 'DELETE', url: '/api/pets/:petId', summary: 'Release a pet.', auth: 'user', params: Type.Object({ petId: Type.String() }), response: { 204: null } })
  ]
}
const typeNames = typeNamesOf([{ PetSchema, PetKindSchema, EmptySchema }])
const doc = renderProtocolDocs(catalog, { typeNames })

/** The fenced ts block right after `marker`, failing with the document around it when absent. */
function blockAfter (marker: string) {
  const at = doc.indexOf(marker)
  assert.ok(at !== -1, `expected "${marker}" in the document`)
  const match = /```ts\n([\s\S]*?)\n```/.exec(doc.slice(at))
  assert.ok(match, `expected a ts block after "${marker}"`)
  return match[1]
}

describe('renderProtocolDocs', () => {
  it('is deterministic', () => {
    assert.equal(renderProtocolDocs(catalog, { typeNames }), doc)
  })

  it('renders a payload as a TypeScript-like type with optional fields and constraints as comments', () => {
    assert.equal(blockAfter('#### `pet:adopt`'), [
      '{',
      '  petId: string',
      '  note?: string  // at most 200 chars',
      '  tags: string[]  // 1-5 items',
      '}'
    ].join('\n'))
  })

  it('refers to named shared types by name and defines each once under Types', () => {
    assert.equal(blockAfter('Ack data:'), '{ pet: Pet }')
    assert.equal(blockAfter('### Pet\n'), [
      'type Pet = {',
      '  id: string  // 1-64 chars; an opaque id',
      '  kind: PetKind',
      '  name: string  // matches /^\\S+$/',
      '  adoptedAt: integer | null  // >= 0',
      '}'
    ].join('\n'))
    assert.equal(blockAfter('### PetKind\n'), 'type PetKind = "cat" | "dog"')
    assert.equal(doc.split('\n').filter((line) => line === '### Pet').length, 1)
  })

  it('says when an ack is optional', () => {
    assert.match(doc.slice(doc.indexOf('#### `pet:purr`')), /Ack data \(the ack is optional/)
  })

  it('renders pushes, escaping HTML-like text in summaries', () => {
    assert.equal(blockAfter('#### `pet:adopted` push'), '{ pets: Pet[] }')
    assert.ok(doc.includes('Someone adopted &lt;a pet&gt;.'), 'the summary is escaped')
  })

  it('renders routes with auth, query, params and answers', () => {
    assert.equal(blockAfter('### `GET /api/pets`'), [
      '{',
      '  limit?: integer  // 1 to 100; default 20',
      '}'
    ].join('\n'))
    const release = doc.slice(doc.indexOf('### `DELETE /api/pets/:petId`'))
    assert.match(release, /Auth: a signed-in user/)
    assert.match(release, /Path parameters:/)
    assert.match(release, /Answer `204`, no body\./)
  })

  it('lists every error code with its HTTP status', () => {
    for (const [code, status] of Object.entries(ErrorStatus)) {
      assert.match(doc, new RegExp(`^\\| \`${code}\` \\| ${status} \\|`, 'm'), `no row for ${code}`)
    }
  })

  it('documents the AckResult shape and the handshake auth', () => {
    assert.match(doc, /type AckResult<Data> =\n {2}\| \{ ok: true, data: Data \}\n {2}\| \{ ok: false, error: Error \}/)
    assert.match(doc, /\{ token\?: string, protocolVersion\?: number \}/)
    assert.match(doc, /\| `protocol_mismatch` \|/)
  })

  it('links every command and push in the tables to a heading that exists', () => {
    const anchors = [...doc.matchAll(/\]\(#([\w-]+)\)/g)].map((match) => match[1]!)
    const headings = doc.split('\n').filter((line) => line.startsWith('#'))
      .map((line) => line.replace(/^#+ /, '').toLowerCase().replace(/[^\w\- ]/g, '').trim().replace(/ /g, '-'))
    assert.deepEqual(anchors.filter((anchor) => !headings.includes(anchor)), [], 'links without a heading')
  })
})

describe('createTypeRenderer', () => {
  const { block } = createTypeRenderer()

  it('renders unions of objects one member per line', () => {
    const schema = Type.Union([
      Type.Object({ ids: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }) }),
      Type.Object({ all: Type.Literal(true) })
    ])
    assert.equal(block(schema), [
      '| {',
      '    ids: string[]  // at least 1 items; each at least 1 chars',
      '  }',
      '| { all: true }'
    ].join('\n'))
  })

  it('renders enums, records, empty objects and unknowns', () => {
    assert.equal(block(Type.Enum(['a', 'b'])), '"a" | "b"')
    assert.equal(block(Type.Record(Type.String(), Type.Number())), '{ [key: string]: number }')
    assert.equal(block(Type.Object({})), '{}')
    assert.equal(block(Type.Unknown()), 'unknown')
  })

  it('notes exclusive bounds and defaults', () => {
    assert.equal(block(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 10 })), 'number  // > 0, < 10')
    assert.equal(block(Type.Boolean({ default: false })), 'boolean  // default false')
  })
})
