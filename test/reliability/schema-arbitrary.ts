import fc from 'fast-check'
import type { TSchema } from 'typebox'
import { Compile } from 'typebox/compile'

/** The JSON Schema keywords the protocol's payload schemas use (TypeBox schemas are JSON Schema). */
interface Schema {
  type?: string
  const?: unknown
  enum?: unknown[]
  anyOf?: Schema[]
  properties?: Record<string, Schema>
  required?: string[]
  items?: Schema
  minItems?: number
  maxItems?: number
  minLength?: number
  maxLength?: number
  pattern?: string
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  exclusiveMaximum?: number
}

/**
 * Values the server knows, by field name (a room id that exists reaches far more of a handler
 * than a random string). A pool is used for a field only with the values its schema accepts, so
 * one name can serve fields of different types.
 */
export type Pools = Record<string, readonly unknown[]>

/** Any UTF-16 code unit: lone surrogates, controls and format characters included. */
export const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code))

/** Text with at least one visible character among arbitrary graphemes (for patterns fast-check cannot generate from). */
const someVisibleText = fc.tuple(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.constantFrom('a', 'Z', 'é', '中', '7', '😀', '@alice'), fc.string({ unit: 'grapheme', maxLength: 12 }))
  .map((parts) => parts.join(''))

function stringOf (schema: Schema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0
  const max = schema.maxLength ?? 200
  const fits = (text: string) => text.length >= min && text.length <= max
  if (schema.pattern === undefined) return fc.string({ minLength: min, maxLength: Math.min(max, 80) })
  const pattern = new RegExp(schema.pattern, 'u')
  let matching: fc.Arbitrary<string>
  try {
    matching = fc.stringMatching(pattern)
  } catch {
    // Lookaheads and the like: generate text likely to match, and keep what does.
    matching = someVisibleText
  }
  return matching.filter((text) => fits(text) && pattern.test(text))
}

function integerOf (schema: Schema) {
  const min = schema.minimum ?? -1_000_000
  const max = schema.maximum ?? Number.MAX_SAFE_INTEGER
  // Mostly small values (seqs and limits that mean something), sometimes anything in range.
  return fc.oneof({ weight: 4, arbitrary: fc.integer({ min, max: Math.min(max, min + 200) }) }, { weight: 1, arbitrary: fc.integer({ min, max }) })
}

/** A fast-check arbitrary of values valid against `schema`, drawing named fields from `pools`. */
export function arbitraryOf (schema: TSchema | Schema, pools: Pools, name?: string): fc.Arbitrary<unknown> {
  const derived = derive(schema as Schema, pools, name)
  const check = Compile(schema as TSchema)
  const known = name === undefined ? [] : (pools[name] ?? []).filter((value) => check.Check(value))
  return known.length === 0 ? derived : fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: derived })
}

function derive (schema: Schema, pools: Pools, name: string | undefined): fc.Arbitrary<unknown> {
  if ('const' in schema) return fc.constant(schema.const)
  if (schema.enum) return fc.constantFrom(...schema.enum)
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((option) => arbitraryOf(option, pools, name)))
  switch (schema.type) {
    case 'object': {
      const fields = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([key, field]) => [key, arbitraryOf(field, pools, key)]))
      return fc.record(fields, { requiredKeys: schema.required ?? [] })
    }
    case 'array':
      // Array items come from the pool of the array's own name (`ids`, `symbols`).
      return fc.array(arbitraryOf(schema.items!, pools, name), { minLength: schema.minItems ?? 0, maxLength: schema.maxItems ?? 10 })
    case 'string':
      return stringOf(schema)
    case 'integer':
      return integerOf(schema)
    case 'number':
      return fc.double({
        min: schema.exclusiveMinimum ?? schema.minimum ?? -1e9,
        max: schema.exclusiveMaximum ?? schema.maximum ?? 1e9,
        minExcluded: schema.exclusiveMinimum !== undefined,
        maxExcluded: schema.exclusiveMaximum !== undefined,
        noNaN: true
      })
    case 'boolean':
      return fc.boolean()
    case 'null':
      return fc.constant(null)
    default:
      throw new Error(`no arbitrary for the schema ${JSON.stringify(schema)}`)
  }
}
