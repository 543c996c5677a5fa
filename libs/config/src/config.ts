import { z } from 'zod';

/**
 * Reads and validates settings from the environment once at start-up, failing with every
 * problem listed, each under its variable's name, instead of the first `undefined` or `NaN`
 * deep inside a request. Every lib and app reads its variables through it.
 */
export function loadConfig<TSchema extends z.ZodType>(schema: TSchema, env: NodeJS.ProcessEnv = process.env): z.output<TSchema> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid configuration:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

/** A whole number above zero (a size, a count, milliseconds), `fallback` when unset. */
export const positiveIntSetting = (fallback: number) => z.coerce.number().int().positive().default(fallback);
