import { authRoutes } from './auth.ts'
import { chatCommands, chatPushes, chatRoutes } from './chat.ts'
import { peopleRoutes } from './people.ts'
import { imageRoutes } from './images.ts'
import { notificationCommands, notificationPushes, notificationRoutes } from './notifications.ts'
import { tickerCommands, tickerPushes, tickerRoutes } from './ticker.ts'
import { Namespaces, type CommandCatalog, type PushCatalog, type RouteSpec } from './protocol.ts'

export interface NamespaceEntry {
  path: string
  auth: string
  commands: CommandCatalog
  pushes: PushCatalog
}

/**
 * Every namespace and HTTP route of the public protocol, in the order the docs list them.
 * A feature adds its catalogs here; `npm run docs` renders this into docs/protocol.md.
 */
export const protocolCatalog: { namespaces: NamespaceEntry[], routes: RouteSpec[] } = {
  namespaces: [
    { path: Namespaces.chat, auth: 'a signed-in user', commands: chatCommands, pushes: chatPushes },
    { path: Namespaces.notifications, auth: 'a signed-in user', commands: notificationCommands, pushes: notificationPushes },
    { path: Namespaces.ticker, auth: 'anyone (alerts need a user)', commands: tickerCommands, pushes: tickerPushes }
  ],
  routes: [authRoutes, chatRoutes, peopleRoutes, imageRoutes, notificationRoutes, tickerRoutes].flatMap((routes) => Object.values(routes))
}
