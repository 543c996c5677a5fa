import type { NatsConnectionOptions } from './nats-connection';

/**
 * The connection settings every process takes from its environment, so apps, tools and
 * tests need no wiring for them: NATS_USER and NATS_PASSWORD (both or neither), and
 * NATS_STREAM_PROVISIONING.
 */
export function natsEnvironment(env: NodeJS.ProcessEnv = process.env): Pick<NatsConnectionOptions, 'credentials' | 'streamProvisioning'> {
  const { NATS_USER: user, NATS_PASSWORD: pass, NATS_STREAM_PROVISIONING: provisioning = 'create' } = env;
  if (!user !== !pass) throw new Error('Set both NATS_USER and NATS_PASSWORD, or neither');
  if (provisioning !== 'create' && provisioning !== 'external') {
    throw new Error(`NATS_STREAM_PROVISIONING must be "create" or "external", not "${provisioning}"`);
  }
  return { credentials: user && pass ? { user, pass } : undefined, streamProvisioning: provisioning };
}
