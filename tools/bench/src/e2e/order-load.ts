import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { LatencyRecorder, LatencySummary } from '../measure/latency';

export interface OrderLoadOptions {
  gatewayUrl: string;
  /** Bearer tokens of the customers placing orders, used in turn. */
  tokens: string[];
  body: object;
  durationSeconds: number;
  /** Orders offered per second, arriving on a fixed schedule; none means as fast as the connections allow. */
  ratePerSecond?: number;
  connections: number;
}

export interface OrderLoadResult {
  startedAt: number;
  endedAt: number;
  requests: number;
  /** Accepted orders (202) and when the answer arrived, ms since the epoch. */
  accepted: Map<string, number>;
  /** Answers other than 202, by status, plus transport errors and timeouts. */
  rejected: Record<string, number>;
  /** HTTP answer times as the client saw them. */
  placement: LatencySummary;
  /** autocannon's p99, corrected for requests that a slow answer held back (coordinated omission). */
  correctedP99Ms: number;
}

/**
 * Places orders through the gateway with autocannon: every request a new Idempotency-Key
 * (so each is a new order), customers in turn. With a rate, arrivals follow a fixed
 * schedule whatever the answers do (open model), which is what clients on the internet do.
 */
export function placeOrders(options: OrderLoadOptions): Promise<OrderLoadResult> {
  const accepted = new Map<string, number>();
  const rejected: Record<string, number> = {};
  const placement = new LatencyRecorder();
  let next = 0;
  const startedAt = Date.now();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.gatewayUrl,
        connections: options.connections,
        duration: options.durationSeconds,
        overallRate: options.ratePerSecond,
        timeout: 30,
        requests: [
          {
            method: 'POST',
            path: '/api/v1/orders',
            body: JSON.stringify(options.body),
            setupRequest: (request) => ({
              ...request,
              headers: {
                ...request.headers,
                'content-type': 'application/json',
                authorization: `Bearer ${options.tokens[next++ % options.tokens.length]}`,
                'idempotency-key': randomUUID(),
              },
            }),
            onResponse: (status, body) => {
              if (status === 202) accepted.set((JSON.parse(body) as { orderId: string }).orderId, Date.now());
              else rejected[status] = (rejected[status] ?? 0) + 1;
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        if (result.errors > 0) rejected.errors = result.errors;
        if (result.timeouts > 0) rejected.timeouts = result.timeouts;
        resolve({ startedAt, endedAt: Date.now(), requests: result.requests.total, accepted, rejected, placement: placement.summary(), correctedP99Ms: result.latency.p99 });
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => placement.record(responseTime));
  });
}
