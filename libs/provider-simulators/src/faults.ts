import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';

// Fault injection, so tests and demos can make a simulator throttle, fail or slow down on
// demand. A fault is decided when the request arrives, before its handler runs: a faulted
// request has no effect at all, exactly like a real provider refusing it at the edge.

const status = z.int().min(400).max(599);

const faultRuleSchema = z.strictObject({
  /** `METHOD /path` exactly as a route declares it, e.g. `POST /v1/captures/:id/refunds`; left out, every route. */
  route: z.string().optional(),
  /** Chance per status, e.g. `{"429": 0.5, "503": 0.2}`; the chances add up to at most 1. */
  errorRates: z
    .record(z.string().regex(/^[45]\d\d$/), z.number().min(0).max(1))
    .refine((rates) => Object.values(rates).reduce((total, rate) => total + rate, 0) <= 1 + 1e-9, 'error rates add up to more than 1')
    .optional(),
  /** Fails exactly the next `count` matching requests with `status`, before any random error: deterministic for tests. */
  failNext: z.strictObject({ count: z.int().nonnegative(), status }).optional(),
  /** Added to every matching request, faulted or not. */
  latencyMs: z.int().min(0).max(60_000).optional(),
  /** Sent as `Retry-After` on the 429 and 503 this rule causes. */
  retryAfterSeconds: z.int().nonnegative().optional(),
});

const faultConfigSchema = z.strictObject({ rules: z.array(faultRuleSchema) });

export type FaultRule = z.infer<typeof faultRuleSchema>;
export type FaultConfig = z.infer<typeof faultConfigSchema>;

export interface RouteStats {
  /** Requests received, faulted ones included. */
  requests: number;
  faulted: number;
  inFlight: number;
  /** The most requests in flight at once (injected latency included) since the last reset. */
  peakInFlight: number;
}

export interface InjectedFault {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: { error: { code: string; message: string } };
}

/** Throws a readable message listing every problem; the caller decides whether that is a 400 or a failed start. */
function parseFaultConfig(value: unknown, routeKeys: readonly string[]): FaultConfig {
  const parsed = faultConfigSchema.safeParse(value);
  if (!parsed.success) {
    throw new Error(z.prettifyError(parsed.error));
  }
  const unknown = parsed.data.rules.map((rule) => rule.route).filter((route) => route !== undefined && !routeKeys.includes(route));
  if (unknown.length > 0) {
    throw new Error(`Unknown route(s) ${unknown.join(', ')}; routes are ${routeKeys.join(', ')}`);
  }
  return parsed.data;
}

/** Holds the current faults and the per-route request statistics of one simulator. */
export class FaultInjector {
  private rules: FaultRule[] = [];
  private readonly stats = new Map<string, RouteStats>();

  constructor(
    private readonly routeKeys: readonly string[],
    initial: FaultConfig = { rules: [] },
    private readonly random: () => number = Math.random,
  ) {
    this.configure(initial);
    this.resetStats();
  }

  /** Replaces every fault. */
  configure(config: unknown): FaultConfig {
    // Copies, so counting down `failNext` never touches the caller's object.
    this.rules = structuredClone(parseFaultConfig(config, this.routeKeys).rules);
    return this.current();
  }

  /** The faults in force, with what is left of each `failNext`. */
  current(): FaultConfig {
    return { rules: structuredClone(this.rules) };
  }

  statistics(): Record<string, RouteStats> {
    return Object.fromEntries([...this.stats].map(([route, stats]) => [route, { ...stats }]));
  }

  /** Starts counting afresh; requests still in flight stay counted as such. */
  resetStats(): void {
    for (const route of this.routeKeys) {
      const inFlight = this.stats.get(route)?.inFlight ?? 0;
      this.stats.set(route, { requests: 0, faulted: 0, inFlight, peakInFlight: inFlight });
    }
  }

  /** Runs `handle` for a request to `route` unless a fault answers it instead; either way after the configured latency. */
  async intercept<T>(route: string, handle: () => T, answerFault: (fault: InjectedFault) => T): Promise<T> {
    const stats = this.stats.get(route);
    if (!stats) {
      throw new Error(`Route "${route}" is not subject to faults`);
    }
    stats.requests += 1;
    stats.inFlight += 1;
    stats.peakInFlight = Math.max(stats.peakInFlight, stats.inFlight);
    try {
      const matching = this.rules.filter((rule) => rule.route === undefined || rule.route === route);
      const fault = this.decide(matching);
      const latencyMs = matching.reduce((total, rule) => total + (rule.latencyMs ?? 0), 0);
      if (latencyMs > 0) await sleep(latencyMs);
      if (!fault) return handle();
      stats.faulted += 1;
      return answerFault(fault);
    } finally {
      stats.inFlight -= 1;
    }
  }

  private decide(matching: readonly FaultRule[]): InjectedFault | undefined {
    const counted = matching.find((rule) => rule.failNext && rule.failNext.count > 0);
    if (counted?.failNext) {
      counted.failNext.count -= 1;
      return injectedFault(counted.failNext.status, counted.retryAfterSeconds);
    }
    for (const rule of matching) {
      const roll = this.random();
      let cumulative = 0;
      for (const [code, rate] of Object.entries(rule.errorRates ?? {})) {
        cumulative += rate;
        if (roll < cumulative) return injectedFault(Number(code), rule.retryAfterSeconds);
      }
    }
    return undefined;
  }
}

function injectedFault(status: number, retryAfterSeconds: number | undefined): InjectedFault {
  const throttled = status === 429;
  return {
    status,
    headers: (status === 429 || status === 503) && retryAfterSeconds !== undefined ? { 'retry-after': String(retryAfterSeconds) } : {},
    body: {
      error: {
        code: throttled ? 'rate_limited' : 'injected_fault',
        message: throttled ? 'Too many requests; slow down' : `Injected fault: this request failed with ${status} and had no effect`,
      },
    },
  };
}
