// The test helpers reuse the launcher's process, port, polling and Postgres helpers rather
// than keeping a second copy. The module-boundary rule does not (yet) list type:tool among
// what type:testing may use, so this file is the one place that crosses that boundary.
// eslint-disable-next-line @nx/enforce-module-boundaries
export { freePort, NatsServer, postgresUrl, ProcessLogs, waitFor, withPostgres, type NatsServerOptions, type WaitForOptions } from '@orders/local-stack';
