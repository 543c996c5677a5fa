export { freePort, waitFor } from './local-stack';
export type { WaitForOptions } from './local-stack';
export { adminDatabaseUrl, sharedNatsUrl } from './environment';
export { startPrivateNatsServer } from './private-nats-server';
export type { PrivateNatsServer } from './private-nats-server';
export { createTestDatabase } from './test-database';
export type { TestDatabase } from './test-database';
