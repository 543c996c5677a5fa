import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { UpstreamResponse } from '../application/upstream';

/** As long as order-service's own count of sagas in flight may be stale (ADR 12). */
const HOLD_MS = 100;

/**
 * Admission control's echo at the edge: once order-service refused a placement as
 * `AT_CAPACITY`, the gateway refuses the placements of the next HOLD_MS itself, with the same
 * answer, instead of sending each across only to be refused. Under overload every refused
 * request would otherwise still cost both processes their share of a saturated machine.
 * Counted as `orders_placements_refused_total{reason="at_capacity"}`, like order-service's.
 */
@Injectable()
export class PlacementShedding {
  private refusal?: { until: number; error: unknown; headers: Record<string, string> };
  private readonly refusals: Counter<'reason'>;

  constructor(registry: Registry) {
    this.refusals = new Counter({
      name: 'orders_placements_refused_total',
      help: 'Placements the gateway refused itself, by reason (at_capacity: order-service refused one as AT_CAPACITY within the last 100 ms)',
      labelNames: ['reason'],
      registers: [registry],
    });
    this.refusals.inc({ reason: 'at_capacity' }, 0);
  }

  /** The answer to give instead of forwarding a placement, while a refusal holds. */
  refusalFor(requestId: string, now = performance.now()): UpstreamResponse | undefined {
    if (!this.refusal || now >= this.refusal.until) return undefined;
    this.refusals.inc({ reason: 'at_capacity' });
    return { status: 503, headers: this.refusal.headers, body: Buffer.from(JSON.stringify({ error: this.refusal.error, requestId })) };
  }

  /** Notes order-service's answer to a placement. */
  noted(answer: UpstreamResponse, now = performance.now()): void {
    if (answer.status !== 503) return;
    const error = atCapacityError(answer.body);
    if (error) this.refusal = { until: now + HOLD_MS, error, headers: answer.headers };
  }
}

function atCapacityError(body: Buffer): unknown {
  try {
    const { error } = JSON.parse(body.toString('utf8')) as { error?: { code?: unknown } };
    return error?.code === 'AT_CAPACITY' ? error : undefined;
  } catch {
    return undefined;
  }
}
