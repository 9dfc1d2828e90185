import type { FastifyBaseLogger } from 'fastify'
import type { Redis } from 'ioredis'
import type { AlertRecord } from '../storage/types.ts'

export type AlertChange = { created: AlertRecord } | { deleted: string }

export interface AlertChangesOptions {
  /** Hubbub's commands connection, to publish. */
  commands: Redis
  /** Opens the subscriber connection. */
  openSubscriber: () => Redis
  channel: string
  nodeId: string
  log: Pick<FastifyBaseLogger, 'warn'>
  /** An alert created or deleted on another node. */
  onChange: (change: AlertChange) => void
  /** Subscribed again after Redis came back: changes published meanwhile were missed. */
  onMissed: () => void
}

/**
 * Alerts created and deleted on any node, told to every other one (the leader indexes them).
 * Pub/sub loses what is published while a node is cut off, so a resubscription says so.
 */
export function createAlertChanges ({ commands, openSubscriber, channel, nodeId, log, onChange, onMissed }: AlertChangesOptions) {
  let subscriber: Redis | undefined

  return {
    start () {
      subscriber = openSubscriber()
      let connections = 0
      // ioredis subscribes again by itself after each reconnection.
      subscriber.on('ready', () => { if (++connections > 1) onMissed() })
      subscriber.on('message', (_channel: string, text: string) => {
        try {
          const { from, ...change } = JSON.parse(text) as AlertChange & { from: string }
          if (from !== nodeId) onChange(change)
        } catch (err) {
          log.warn({ err }, 'market: an alert change could not be read')
        }
      })
      subscriber.subscribe(channel).catch((err: unknown) => log.warn({ err }, 'market: cannot subscribe to alert changes'))
    },

    publish (change: AlertChange) {
      commands.publish(channel, JSON.stringify({ from: nodeId, ...change }))
        .catch((err: unknown) => log.warn({ err }, 'market: an alert change could not be published; the leader finds it at its next reload'))
    },

    close () {
      subscriber?.disconnect()
    }
  }
}
