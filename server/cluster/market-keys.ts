/** The Redis keys and channel of the cluster's one market, all under the installation's prefix. */
export const marketKeys = (key: (name: string) => string) => ({
  /** The lease: the leader's token, expiring unless renewed. */
  leader: key('market:leader'),
  /** Counts leases won: each leader's epoch. */
  epoch: key('market:epoch'),
  /** A stream of the published steps, entry id `<n>-0`. */
  steps: key('market:steps'),
  /** The model state after the latest step (what a successor continues). */
  head: key('market:head'),
  /** The whole market every so often (what a node starting or catching up loads). */
  snapshot: key('market:snapshot'),
  /** Alerts created or deleted on one node, for the node that evaluates them. */
  alerts: key('market:alerts')
})

export type MarketKeys = ReturnType<typeof marketKeys>
