import AjvCompiler from '@fastify/ajv-compiler'
import { patternMeanings } from '../shared/schemas.ts'

/** One schema error, as both Fastify's (ajv) and TypeBox's validators report it. */
export interface SchemaError {
  keyword?: string
  instancePath: string
  message?: string | undefined
  params: object
}

/** A message naming the field: `/text must NOT have more than 4000 characters` -> `text: must NOT …`. */
export function describeSchemaError (error: SchemaError | undefined, whole = 'payload') {
  if (!error) return `${whole}: is invalid`
  const path = error.instancePath.replace(/^\//, '').replaceAll('/', '.')
  const params = error.params as { missingProperty?: string, additionalProperty?: string, additionalProperties?: string[], requiredProperties?: string[], pattern?: string }
  const named = params.missingProperty ?? params.requiredProperties?.[0] ?? params.additionalProperty ?? params.additionalProperties?.[0]
  const field = [path, named].filter(Boolean).join('.') || whole
  // TypeBox reports an unknown field as the field itself failing a `false` schema.
  const unknown = error.keyword === 'additionalProperties' || error.message === 'schema is false'
  const meaning = error.keyword === 'pattern' && params.pattern !== undefined ? patternMeanings[params.pattern] : undefined
  return `${field}: ${unknown ? 'is not an allowed field' : meaning ?? error.message ?? 'is invalid'}`
}

const ajvCompilers = AjvCompiler()

/**
 * Fastify's validator factory with one difference: bodies are JSON, which has types, so a body is
 * validated as sent (`{"displayName":42}` is refused, not stored as "42"). Querystrings, params and
 * headers are text and keep the coercion Fastify gives them (`?limit=20` is the integer 20).
 */
export const buildValidator: AjvCompiler.BuildCompilerFromPool = (externalSchemas, options = {}) => {
  const coercing = ajvCompilers(externalSchemas, options)
  if (options.mode === 'JTD') return coercing // JTD never coerces (and this app has no JTD schemas)
  const strict = ajvCompilers(externalSchemas, { ...options, customOptions: { ...options.customOptions, coerceTypes: false } })
  return (route) => route.httpPart === 'body' ? strict(route) : coercing(route)
}
