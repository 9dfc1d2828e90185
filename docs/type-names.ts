import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { TypeNames } from './render-schema.ts'

export const sharedDir = join(import.meta.dirname, '..', 'shared')

/**
 * Names for the docs, from the `XSchema` exports of the given modules: `RoomSchema` is `Room`.
 * Only objects with properties, unions and enums get a name (primitives read better inline,
 * with their constraints). Modules and exports are taken in sorted order, first name wins.
 */
export function typeNamesOf (modules: Record<string, unknown>[]): TypeNames {
  const names = new Map<object, string>()
  const taken = new Set<string>()
  for (const module of modules) {
    for (const [exported, value] of Object.entries(module).sort(([a], [b]) => a.localeCompare(b))) {
      if (!exported.endsWith('Schema') || typeof value !== 'object' || value === null || names.has(value)) continue
      const schema = value as { type?: unknown, properties?: object, anyOf?: unknown, enum?: unknown }
      const named = (schema.type === 'object' && Object.keys(schema.properties ?? {}).length > 0) || Array.isArray(schema.anyOf) || Array.isArray(schema.enum)
      const name = exported.slice(0, -'Schema'.length)
      if (!named || !name || taken.has(name)) continue
      names.set(value, name)
      taken.add(name)
    }
  }
  return names
}

/** The names of every `XSchema` export of shared/ (a new feature file is picked up by itself). */
export async function loadSharedTypeNames (dir = sharedDir): Promise<TypeNames> {
  const files = readdirSync(dir).filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts')).sort()
  const modules = await Promise.all(files.map((file) => import(pathToFileURL(join(dir, file)).href) as Promise<Record<string, unknown>>))
  return typeNamesOf(modules)
}
