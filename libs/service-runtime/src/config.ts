import { z } from 'zod';

/**
 * Reads and validates an app's environment once at start-up, failing with every
 * problem listed instead of the first `undefined` deep inside a request.
 */
export function loadConfig<TSchema extends z.ZodType>(schema: TSchema, env: NodeJS.ProcessEnv = process.env): z.output<TSchema> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid configuration:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

/** Settings every app shares. */
export const baseConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535),
  HOST: z.string().default('0.0.0.0'),
  NATS_URL: z.string().default('nats://127.0.0.1:4222'),
});

/** Settings of an app that owns a database. */
export const serviceConfigSchema = baseConfigSchema.extend({
  DATABASE_URL: z.string().startsWith('postgres'),
});
