import type { Config } from './config.ts'

/**
 * Pending connections the kernel may queue before the server accepts them (capped by
 * net.core.somaxconn). Node's default, 511, overflows when thousands of clients reconnect at once
 * after a restart: dropped SYNs are retried by the client's kernel 1, 3, 7 s later, which stretches
 * a reconnect storm's tail by seconds (measured by `npm run bench -- --scenario reconnect-storm`).
 */
export const LISTEN_BACKLOG = 4096

/** What `app.listen` is given, by the real entry and by the benchmark's server alike. */
export const listenOptions = (config: Pick<Config, 'port' | 'host'>) => ({ port: config.port, host: config.host, backlog: LISTEN_BACKLOG })
