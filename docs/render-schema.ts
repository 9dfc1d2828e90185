/**
 * Renders JSON schemas (as TypeBox builds them) as compact TypeScript-like types, with each
 * property's constraints and description as a trailing comment. Pure: no I/O.
 */

type Schema = Record<string, unknown>

/** Schemas that have a name in the docs (from `XSchema` exports): rendered as `X` and defined once. */
export type TypeNames = ReadonlyMap<object, string>

const MAX_INLINE = 72

const isObject = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value)
const json = (value: unknown) => JSON.stringify(value)
const indentLines = (text: string, pad: string) => text.split('\n').map((line, i) => (i === 0 ? line : pad + line)).join('\n')
const safeKey = (key: string) => (/^[A-Za-z_$][\w$]*$/.test(key) ? key : json(key))

function range (min: unknown, max: unknown, unit: string) {
  const u = unit ? ` ${unit}` : ''
  if (min !== undefined && max !== undefined) return min === max ? `${min}${u}` : `${min}-${max}${u}`
  if (min !== undefined) return `at least ${min}${u}`
  if (max !== undefined) return `at most ${max}${u}`
  return ''
}

function numberRange (s: Schema) {
  const parts: string[] = []
  if (s.minimum !== undefined && s.maximum !== undefined) parts.push(`${s.minimum} to ${s.maximum}`)
  else {
    if (s.minimum !== undefined) parts.push(`>= ${s.minimum}`)
    if (s.maximum !== undefined) parts.push(`<= ${s.maximum}`)
  }
  if (s.exclusiveMinimum !== undefined) parts.push(`> ${s.exclusiveMinimum}`)
  if (s.exclusiveMaximum !== undefined) parts.push(`< ${s.exclusiveMaximum}`)
  if (s.multipleOf !== undefined) parts.push(`multiple of ${s.multipleOf}`)
  return parts.join(', ')
}

/** The constraints of one schema in words: lengths, ranges, patterns, defaults, description. */
export function describeConstraints (s: Schema): string[] {
  const notes: string[] = []
  const add = (note: string) => { if (note) notes.push(note) }
  add(range(s.minLength, s.maxLength, 'chars'))
  if (typeof s.pattern === 'string') add(`matches /${s.pattern}/`)
  if (typeof s.format === 'string') add(`format ${s.format}`)
  add(numberRange(s))
  add(range(s.minItems, s.maxItems, 'items'))
  if (s.uniqueItems === true) add('unique items')
  add(range(s.minProperties, s.maxProperties, 'properties'))
  if (s.default !== undefined) add(`default ${json(s.default)}`)
  if (typeof s.description === 'string') add(s.description)
  return notes
}

/** One rendering: the type text (possibly several lines, indented from column 0) and its comment. */
interface Rendered { text: string, note: string }

export function createTypeRenderer (typeNames: TypeNames = new Map()) {
  /** Names referenced so far, so the docs can define each once. */
  const used = new Set<string>()

  const nameOf = (s: Schema) => {
    const name = typeNames.get(s)
    if (name) used.add(name)
    return name
  }

  function render (s: unknown, expand = false): Rendered {
    if (!isObject(s)) return { text: s === false ? 'never' : 'unknown', note: '' }
    const name = expand ? undefined : nameOf(s)
    if (name) return { text: name, note: '' }
    if (s.const !== undefined) return { text: json(s.const), note: typeof s.description === 'string' ? s.description : '' }
    if (Array.isArray(s.enum)) return { text: s.enum.map(json).join(' | '), note: describeConstraints({ ...s, default: undefined }).join('; ') }
    if (Array.isArray(s.anyOf)) return union(s.anyOf, s)
    if (Array.isArray(s.oneOf)) return union(s.oneOf, s)
    if (Array.isArray(s.allOf)) return { text: s.allOf.map((member) => render(member).text).join(' & '), note: '' }
    if (typeof s.$ref === 'string') return { text: s.$ref.replace(/^#\/\$defs\//, ''), note: '' }
    if (Array.isArray(s.type)) return union(s.type.map((type) => ({ type })), s)
    const notes = describeConstraints(s).join('; ')
    switch (s.type) {
      case 'object': return object(s)
      case 'array': return array(s)
      case 'string': case 'number': case 'integer': case 'boolean': case 'null':
        return { text: s.type, note: notes }
      default:
        return { text: 'unknown', note: notes }
    }
  }

  function union (members: unknown[], s: Schema): Rendered {
    const parts = members.map((member) => render(member))
    // Notes of inline members (`integer | null` says what the integer is); objects carry their own.
    const memberNotes = parts.filter((part) => !part.text.includes('\n')).map((part) => part.note).filter(Boolean)
    const note = [...new Set([...memberNotes, ...describeConstraints(s)])].join('; ')
    const inline = parts.map((part) => part.text).join(' | ')
    if (!inline.includes('\n') && inline.length <= MAX_INLINE && parts.every((part) => !part.note || memberNotes.includes(part.note))) {
      return { text: inline, note }
    }
    const lines = parts.map((part) => `  | ${indentLines(part.text + (part.note && part.text.includes('\n') ? '' : part.note ? `  // ${part.note}` : ''), '    ')}`)
    return { text: `\n${lines.join('\n')}`, note: describeConstraints(s).join('; ') }
  }

  function array (s: Schema): Rendered {
    const items = render(s.items)
    const text = items.text.includes('\n') || items.text.includes(' ')
      ? `Array<${items.text.trimStart()}>`
      : `${items.text}[]`
    const note = [describeConstraints(s).join('; '), items.note && !items.text.includes('\n') ? `each ${items.note}` : '']
      .filter(Boolean).join('; ')
    return { text: text.includes('\n') ? indentLines(text, '') : text, note }
  }

  function object (s: Schema): Rendered {
    const properties = isObject(s.properties) ? s.properties : {}
    const required = new Set(Array.isArray(s.required) ? s.required : [])
    const fields = Object.entries(properties).map(([key, value]) => {
      const rendered = render(value)
      return { head: `${safeKey(key)}${required.has(key) ? '' : '?'}:`, ...rendered }
    })
    if (isObject(s.patternProperties)) {
      for (const value of Object.values(s.patternProperties)) fields.push({ head: '[key: string]:', ...render(value) })
    }
    if (isObject(s.additionalProperties)) fields.push({ head: '[key: string]:', ...render(s.additionalProperties) })
    const note = typeof s.description === 'string' ? s.description : ''
    if (fields.length === 0) return { text: '{}', note }
    const inline = `{ ${fields.map((field) => `${field.head} ${field.text}`).join(', ')} }`
    if (fields.every((field) => !field.note) && !inline.includes('\n') && inline.length <= MAX_INLINE) return { text: inline, note }
    const lines = fields.map(({ head, text, note }) => {
      const body = text.startsWith('\n') ? `${head}${indentLines(text, '  ')}` : `${head} ${indentLines(text, '  ')}`
      if (!note) return `  ${body}`
      const [first, ...rest] = body.split('\n')
      // A multi-line value carries its comment on its first line.
      return [`  ${first}  // ${note}`, ...rest.map((line) => `  ${line}`)].join('\n')
    })
    return { text: `{\n${lines.join('\n')}\n}`, note }
  }

  return {
    used,
    /** A schema as a one-line reference: its name when it has one. */
    inline (schema: unknown) {
      return render(schema).text
    },
    /** A whole schema as a block of type text; a named schema is expanded at the top, not referenced. */
    block (schema: unknown) {
      const { text, note } = render(schema, true)
      const body = text.startsWith('\n') ? text.slice(1).replace(/^ {2}/gm, '') : text
      if (!note) return body
      const [first, ...rest] = body.split('\n')
      return [`${first}  // ${note}`, ...rest].join('\n')
    },
    /** `type Name = …` for a named schema. */
    definition (name: string, schema: object) {
      const { text, note } = render(schema, true)
      const body = text.startsWith('\n') ? text : ` ${text}`
      const comment = note ? `// ${note}\n` : ''
      return `${comment}type ${name} =${body}`
    }
  }
}
