import fc from 'fast-check';
import { withPostgres } from '@orders/local-processes';
import { Platform } from '../support/platform';
import { GeneratedRequest, generatedRequest } from './requests';

export interface GeneratedInputConfig {
  /** How many requests to generate and send. */
  runs: number;
  /** The same seed sends the same requests. */
  seed: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Customers the requests are spread over, each with a token of its own; an operator's token is used besides. */
  customers: number;
}

/** The orders answered 202 for one user, and the orders order-service holds for that user with their Idempotency-Keys. */
export interface UserWrites {
  user: string;
  accepted: string[];
  stored: Array<{ orderId: string; idempotencyKey: string }>;
}

export interface GeneratedInputSummary {
  config: GeneratedInputConfig;
  elapsedMs: number;
  /** How many requests got each status. */
  statuses: Record<number, number>;
  /** Requests sent as the schemas describe them, with nothing changed. */
  unchanged: number;
  /** Every answer that broke a rule, with the request that got it. */
  problems: string[];
  /** Milliseconds to an answer: the median, the 99th percentile and the longest. */
  latencyMs: { p50: number; p99: number; max: number };
  writes: UserWrites[];
}

interface Answer {
  status: number;
  requestId: string | null;
  body: string;
}

/** Requests generated per batch: generated as they are needed, not all at once. */
const BATCH = 1_000;
const PROBLEMS_KEPT = 50;
/** Far longer than any answer takes: an answer that does not come is a problem, not a hung run. */
const ANSWER_TIMEOUT_MS = 30_000;

/**
 * Sends `runs` generated requests (requests.ts) to the platform's gateway, `concurrency` at a
 * time, and checks every answer: never a 5xx; a 4xx in the one error shape
 * `{"error":{"code","message"},"requestId"}` with the `x-request-id` header; a request as the
 * schemas describe it answered as its route says. Afterwards, order-service must hold exactly the
 * orders it accepted: nothing for any request it refused.
 */
export async function runGeneratedInput(platform: Platform, config: GeneratedInputConfig, log: (line: string) => void): Promise<GeneratedInputSummary> {
  const customers = Array.from({ length: config.customers }, (_, index) => `generated-input-${config.seed}-${index}`);
  const operator = `generated-input-${config.seed}-ops`;
  const tokens = await Promise.all(customers.map((customer) => platform.login(customer)));
  const opsToken = await platform.login(operator, ['ops', 'ops-editor']);
  const users = [...customers, operator];
  const placed = new Map(users.map((user) => [user, new Set<string>()]));
  const summary: GeneratedInputSummary = { config, elapsedMs: 0, statuses: {}, unchanged: 0, problems: [], latencyMs: { p50: 0, p99: 0, max: 0 }, writes: [] };
  const latencies: number[] = [];
  let problemCount = 0;
  const started = performance.now();

  const batches = new Map<number, GeneratedRequest[]>();
  const requestAt = (index: number): GeneratedRequest => {
    const batch = Math.floor(index / BATCH);
    let requests = batches.get(batch);
    if (!requests) {
      requests = fc.sample(generatedRequest, { seed: config.seed + batch, numRuns: BATCH });
      batches.set(batch, requests);
      batches.delete(batch - 2);
    }
    return requests[index % BATCH];
  };

  let next = 0;
  const worker = async () => {
    while (next < config.runs) {
      const index = next++;
      const request = requestAt(index);
      const customer = index % customers.length;
      const authorization = authorizationOf(request, tokens[customer], opsToken);
      const idempotencyKey =
        request.idempotencyKey === 'fresh' ? `generated-${config.seed}-${index}` : request.idempotencyKey === 'none' ? undefined : request.idempotencyKey.value;
      const sentAt = performance.now();
      const answer = await send(platform.stack.gatewayUrl, request, authorization, idempotencyKey);
      latencies.push(performance.now() - sentAt);
      summary.statuses[answer.status] = (summary.statuses[answer.status] ?? 0) + 1;
      if (request.mutations.length === 0) summary.unchanged++;
      const orderId = acceptedOrderId(answer);
      if (orderId) placed.get(request.credentials === 'ops' ? operator : customers[customer])?.add(orderId);
      const problem = problemOf(request, answer);
      if (problem && problemCount++ < PROBLEMS_KEPT)
        summary.problems.push(`${problem}\n  request #${index}: ${reproduction(request, authorization, idempotencyKey)}\n  answer: ${answer.body.slice(0, 300)}`);
      if ((index + 1) % 2_000 === 0) log(`${index + 1} requests sent`);
    }
  };
  await Promise.all(Array.from({ length: config.concurrency }, worker));
  summary.elapsedMs = Math.round(performance.now() - started);
  if (problemCount > PROBLEMS_KEPT) summary.problems.push(`… and ${problemCount - PROBLEMS_KEPT} more`);
  latencies.sort((a, b) => a - b);
  const percentile = (share: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * share))] ?? 0);
  summary.latencyMs = { p50: percentile(0.5), p99: percentile(0.99), max: percentile(1) };
  summary.writes = await Promise.all(users.map(async (user) => ({ user, accepted: [...(placed.get(user) ?? [])].sort(), stored: await storedOrders(platform, user) })));
  return summary;
}

/** The user's orders in order-service's database, each with the Idempotency-Key it was placed with. */
function storedOrders(platform: Platform, user: string): Promise<UserWrites['stored']> {
  return withPostgres(platform.stack.databaseUrls.order, async (client) => {
    const { rows } = await client.query<{ order_id: string; key: string | null }>(
      'SELECT o.id AS order_id, k.key FROM orders o LEFT JOIN idempotency_keys k ON k.order_id = o.id WHERE o.customer_id = $1 ORDER BY o.id',
      [user],
    );
    return rows.map((row) => ({ orderId: row.order_id, idempotencyKey: row.key ?? '(none)' }));
  });
}

function authorizationOf(request: GeneratedRequest, customerToken: string, opsToken: string): string | undefined {
  const { credentials } = request;
  if (credentials === 'none') return undefined;
  if (credentials === 'customer') return `Bearer ${customerToken}`;
  if (credentials === 'ops') return `Bearer ${opsToken}`;
  // The signature's first character changed: a token the gateway issued, tampered with.
  if (credentials === 'tampered') return `Bearer ${customerToken.replace(/\.(.)([^.]*)$/, (_match, first: string, rest: string) => `.${first === 'A' ? 'B' : 'A'}${rest}`)}`;
  return credentials.authorization;
}

async function send(gatewayUrl: string, request: GeneratedRequest, authorization: string | undefined, idempotencyKey: string | undefined): Promise<Answer> {
  const headers = new Headers(request.headers);
  if (authorization !== undefined) headers.set('authorization', authorization);
  if (idempotencyKey !== undefined) headers.set('idempotency-key', idempotencyKey);
  try {
    const response = await fetch(`${gatewayUrl}${request.path}`, {
      method: request.method,
      headers,
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
    });
    return { status: response.status, requestId: response.headers.get('x-request-id'), body: await response.text() };
  } catch (error) {
    // Status 0: no answer at all, which the checks count as a problem.
    return { status: 0, requestId: null, body: `no answer: ${(error as Error).message}` };
  }
}

function problemOf(request: GeneratedRequest, answer: Answer): string | undefined {
  if (answer.status === 0) return answer.body;
  if (answer.status >= 500) return `answered ${answer.status}`;
  if (request.mutations.length === 0 && !request.answers.includes(answer.status)) {
    return `answered ${answer.status}, not ${request.answers.join(' or ')}, to a request as the schemas describe it`;
  }
  if (answer.status < 400) return undefined;
  const body = parsed(answer.body);
  if (!isErrorBody(body)) return `answered ${answer.status} with a body not in the error shape`;
  if (body.requestId !== answer.requestId) return `answered ${answer.status} with requestId ${body.requestId} but x-request-id ${String(answer.requestId)}`;
  return undefined;
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `{"error":{"code","message"[,"details"]},"requestId"}` and nothing else. */
function isErrorBody(body: unknown): body is { error: { code: string; message: string }; requestId: string } {
  if (typeof body !== 'object' || body === null || !sameKeys(body, ['error', 'requestId'])) return false;
  const { error, requestId } = body as { error: unknown; requestId: unknown };
  if (typeof requestId !== 'string' || requestId === '' || typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code: unknown; message: unknown };
  const keys = Object.keys(error);
  return typeof code === 'string' && code !== '' && typeof message === 'string' && message !== '' && keys.every((key) => ['code', 'message', 'details'].includes(key));
}

function sameKeys(value: object, keys: string[]): boolean {
  return Object.keys(value).sort().join() === keys.join();
}

function acceptedOrderId(answer: Answer): string | undefined {
  if (answer.status !== 202) return undefined;
  const body = parsed(answer.body) as { orderId?: unknown; status?: unknown } | undefined;
  return body?.status === 'PENDING' && typeof body.orderId === 'string' ? body.orderId : undefined;
}

function reproduction(request: GeneratedRequest, authorization: string | undefined, idempotencyKey: string | undefined): string {
  const headers = {
    ...request.headers,
    ...(authorization === undefined ? {} : { authorization: `${authorization.slice(0, 40)}…` }),
    ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
  };
  const body = request.body === undefined ? '' : ` body (${request.body.length} bytes, latin1): ${request.body.toString('latin1').slice(0, 300)}`;
  return `${request.method} ${request.path.slice(0, 300)} [${request.route}; changed: ${request.mutations.join(', ') || 'nothing'}] headers ${JSON.stringify(headers)}${body}`;
}

export function formatSummary(summary: GeneratedInputSummary): string {
  const { runs, seed, concurrency } = summary.config;
  const statuses = Object.entries(summary.statuses)
    .map(([status, count]) => `${status}: ${count}`)
    .join(', ');
  const placed = summary.writes.reduce((sum, writes) => sum + writes.accepted.length, 0);
  const { p50, p99, max } = summary.latencyMs;
  const perSecond = Math.round((runs * 1000) / Math.max(summary.elapsedMs, 1));
  return [
    `generated input: ${runs} requests (seed ${seed}, ${concurrency} at a time) in ${(summary.elapsedMs / 1000).toFixed(1)} s, ${perSecond}/s`,
    `  ${summary.unchanged} as the schemas describe them, ${runs - summary.unchanged} with parts broken; ${placed} orders accepted`,
    `  statuses: ${statuses}`,
    `  answered in ${p50} ms (median), ${p99} ms (99th percentile), ${max} ms at the longest`,
    `  problems: ${summary.problems.length === 0 ? 'none' : `\n${summary.problems.join('\n')}`}`,
  ].join('\n');
}
