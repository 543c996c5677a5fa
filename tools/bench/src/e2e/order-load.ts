import { Agent, request } from 'node:http';
import { randomUUID } from 'node:crypto';
import { LatencyRecorder, LatencySummary } from '../measure/latency';

export interface OrderLoadOptions {
  gatewayUrl: string;
  /** Bearer tokens of the customers placing orders, used in turn. */
  tokens: string[];
  body: object;
  durationSeconds: number;
  /** Orders offered per second, arriving evenly spaced whatever the answers do. */
  ratePerSecond: number;
  /** Keep-alive connections to the gateway at most; an arrival finding all busy waits for one, and that wait counts. */
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
  /** From each order's scheduled arrival to its answer, as the client saw it. */
  placement: LatencySummary;
}

const ANSWER_TIMEOUT_MS = 30_000;

/**
 * Places orders through the gateway, every request a new Idempotency-Key (so each is a new
 * order), customers in turn. Arrivals follow an open model: order i is due at
 * `i / ratePerSecond` seconds, evenly spaced, whether or not earlier ones were answered, as
 * independent clients on the internet arrive. Its latency runs from when it was due, so an
 * order held back by slow answers counts the wait too (no coordinated omission).
 */
export async function placeOrders(options: OrderLoadOptions): Promise<OrderLoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const accepted = new Map<string, number>();
  const rejected: Record<string, number> = {};
  const placement = new LatencyRecorder();
  const body = JSON.stringify(options.body);
  const total = Math.round(options.durationSeconds * options.ratePerSecond);
  const intervalMs = 1000 / options.ratePerSecond;
  const startedAt = Date.now();
  const answers: Array<Promise<void>> = [];

  const place = async (index: number, dueAt: number): Promise<void> => {
    const token = options.tokens[index % options.tokens.length];
    try {
      const answer = await post(agent, `${options.gatewayUrl}/api/v1/orders`, body, { authorization: `Bearer ${token}`, 'idempotency-key': randomUUID() });
      placement.record(performance.now() - dueAt);
      if (answer.status === 202) accepted.set((JSON.parse(answer.body) as { orderId: string }).orderId, Date.now());
      else rejected[answer.status] = (rejected[answer.status] ?? 0) + 1;
    } catch (error) {
      const kind = error instanceof AnswerTimeout ? 'timeouts' : 'errors';
      rejected[kind] = (rejected[kind] ?? 0) + 1;
    }
  };

  const origin = performance.now();
  for (let index = 0; index < total; index += 1) {
    const dueAt = origin + index * intervalMs;
    const wait = dueAt - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    answers.push(place(index, dueAt));
  }
  await Promise.all(answers);
  agent.destroy();
  return { startedAt, endedAt: Date.now(), requests: total, accepted, rejected, placement: placement.summary() };
}

class AnswerTimeout extends Error {}

function post(agent: Agent, url: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: 'POST', agent, headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      incoming.on('error', reject);
    });
    outgoing.setTimeout(ANSWER_TIMEOUT_MS, () => outgoing.destroy(new AnswerTimeout(`no answer within ${ANSWER_TIMEOUT_MS} ms`)));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
