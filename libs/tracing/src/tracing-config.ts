import { loadConfig, positiveIntSetting } from '@orders/config';
import { z } from 'zod';

const EXPORTERS = ['none', 'otlp', 'console'] as const;

/** `key=value` pairs, comma-separated, as the OTLP exporter reads OTEL_EXPORTER_OTLP_HEADERS. */
const headerList = z
  .string()
  .refine((list) => list.split(',').every((pair) => /^\s*[^=\s]+\s*=/.test(pair)), 'must be key=value pairs, comma-separated')
  .optional();

/** The version every log line and span names: SERVICE_VERSION, else the one npm runs the app as, else `dev`. */
export const serviceVersionConfigSchema = z.object({
  SERVICE_VERSION: z.string().min(1).optional(),
  npm_package_version: z.string().optional(),
});

export function serviceVersionOf(config: z.output<typeof serviceVersionConfigSchema>): string {
  return config.SERVICE_VERSION ?? config.npm_package_version ?? 'dev';
}

/**
 * What `startTracing` reads, and the OTLP exporter's own variables, which it would otherwise
 * only complain about (or ignore) once the first spans fail to leave.
 */
export const tracingConfigSchema = serviceVersionConfigSchema.extend({
  OTEL_TRACES_EXPORTER: z
    .string()
    .default('none')
    .transform((kind) => kind.trim().toLowerCase() || 'none')
    .pipe(z.enum(EXPORTERS, { error: (issue) => `${String(issue.input)} is not supported: use otlp, console or none` })),
  /** Empty counts as unset: the app's own name applies. */
  OTEL_SERVICE_NAME: z.string().optional(),
  /** Milliseconds between span exports. */
  OTEL_BSP_SCHEDULE_DELAY: positiveIntSetting(5_000),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  OTEL_EXPORTER_OTLP_HEADERS: headerList,
  OTEL_EXPORTER_OTLP_TIMEOUT: z.coerce.number().int().positive().optional(),
});
export type TracingConfig = z.output<typeof tracingConfigSchema>;

export function tracingConfig(env: NodeJS.ProcessEnv = process.env): TracingConfig {
  return loadConfig(tracingConfigSchema, env);
}
