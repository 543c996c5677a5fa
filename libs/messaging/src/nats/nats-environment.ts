import { loadConfig } from '@orders/config';
import { z } from 'zod';
import type { NatsConnectionOptions } from './nats-connection';

/** NATS_USER and NATS_PASSWORD (both or neither; empty counts as unset), and NATS_STREAM_PROVISIONING. */
export const natsConfigSchema = z.object({
  NATS_USER: z.string().optional(),
  NATS_PASSWORD: z.string().optional(),
  NATS_STREAM_PROVISIONING: z.enum(['create', 'external'], { error: 'must be "create" or "external"' }).default('create'),
});

/**
 * The connection settings every process takes from its environment, so apps, tools and
 * tests need no wiring for them.
 */
export function natsEnvironment(env: NodeJS.ProcessEnv = process.env): Pick<NatsConnectionOptions, 'credentials' | 'streamProvisioning'> {
  const {
    NATS_USER: user,
    NATS_PASSWORD: pass,
    NATS_STREAM_PROVISIONING: streamProvisioning,
  } = loadConfig(
    natsConfigSchema.refine(({ NATS_USER, NATS_PASSWORD }) => !NATS_USER === !NATS_PASSWORD, { path: ['NATS_USER'], message: 'Set both NATS_USER and NATS_PASSWORD, or neither' }),
    env,
  );
  return { credentials: user && pass ? { user, pass } : undefined, streamProvisioning };
}
