import type { Socket } from 'socket.io-client'
import type { CommandCatalog, CommandEvents, PushCatalog, PushEvents } from '../../../shared/protocol.ts'
import { socketFor, type NamespacePath } from './connection.ts'

/** A namespace's socket typed by its shared catalogs: what it hears and what it may send. */
export type FeatureSocket<Pushes extends PushCatalog, Commands extends CommandCatalog> =
  Socket<PushEvents<Pushes>, CommandEvents<Commands>>

/** A value made on first use; `peek()` reads it without making it. */
export interface Lazy<T> {
  (): T
  peek: () => T | null
}

/** `setUp` runs once, right after `make`, when `peek()` already returns the value. */
export const lazy = <T>(make: () => T, setUp: (made: T) => void = () => {}): Lazy<T> => {
  let made: T | null = null
  const get = () => {
    if (made === null) {
      made = make()
      setUp(made)
    }
    return made
  }
  return Object.assign(get, { peek: () => made })
}

/**
 * The socket a feature module owns: created (and `setUp` given its listeners) the first time it
 * is needed. Work that only makes sense once the socket exists checks `peek()` instead.
 */
export const lazySocket = <Pushes extends PushCatalog, Commands extends CommandCatalog>(
  ns: NamespacePath,
  setUp: (socket: FeatureSocket<Pushes, Commands>) => void = () => {}
): Lazy<FeatureSocket<Pushes, Commands>> => lazy(() => socketFor<PushEvents<Pushes>, CommandEvents<Commands>>(ns), setUp)
