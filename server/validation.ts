/** One schema error, as both Fastify's (ajv) and TypeBox's validators report it. */
export interface SchemaError {
  instancePath: string
  message?: string | undefined
  params: object
}

/** A message naming the field: `/text must NOT have more than 4000 characters` -> `text: must NOT …`. */
export function describeSchemaError (error: SchemaError | undefined, whole = 'payload') {
  if (!error) return `${whole}: is invalid`
  const path = error.instancePath.replace(/^\//, '').replaceAll('/', '.')
  const params = error.params as { missingProperty?: string, additionalProperty?: string, additionalProperties?: string[], requiredProperties?: string[] }
  const named = params.missingProperty ?? params.requiredProperties?.[0] ?? params.additionalProperty ?? params.additionalProperties?.[0]
  const field = [path, named].filter(Boolean).join('.') || whole
  return `${field}: ${error.message ?? 'is invalid'}`
}
