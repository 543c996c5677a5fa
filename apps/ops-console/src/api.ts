/**
 * The gateway's API as the console calls it: same origin, bearer token, JSON. The answers' types
 * are the server's own, imported as types only, so the bundle holds none of the server's code.
 */
import type { OrderPage, OrderView, ReplicaStatus, RunningSaga, RunningSagaPage } from '@orders/contracts';
import type { DeadLetter, DeadLetterPage, DeadLetterSummary, ReplayedDeadLetter } from '@orders/messaging';

export type { DeadLetter, DeadLetterSummary, OrderPage, OrderView, RunningSaga };

/** An answer other than 2xx, with the API's error code and message. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** More about the error, e.g. each invalid field. */
    readonly details?: unknown,
  ) {
    super(message);
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string; details?: unknown };
}

export async function callApi<T>(path: string, options: { token?: string; method?: 'GET' | 'POST'; body?: unknown } = {}): Promise<T> {
  const headers = new Headers({ accept: 'application/json' });
  if (options.token) headers.set('authorization', `Bearer ${options.token}`);
  if (options.body !== undefined) headers.set('content-type', 'application/json');
  const response = await fetch(path, {
    method: options.method ?? 'GET',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const body: unknown = await response.json().catch(() => ({}));
  if (!response.ok) {
    const { error } = body as ErrorBody;
    throw new ApiFailure(response.status, error?.code ?? 'HTTP_ERROR', error?.message ?? `The gateway answered ${response.status}`, error?.details);
  }
  return body as T;
}

/** How a failed call reads to an operator: the status and the API's own words. */
export function describeFailure(error: unknown): string {
  if (error instanceof ApiFailure) return `${error.status} ${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

const DEAD_LETTERS_PATH = '/api/v1/admin/dead-letters';
/** The admin API's largest page. */
const PAGE_SIZE = 100;
/** Enough for any queue an operator works through by hand; the count says when there are more. */
const MAX_PAGES = 20;

/** Every dead letter, oldest first, up to MAX_PAGES pages; `complete` is false when more remain. */
export async function listDeadLetters(token: string): Promise<{ deadLetters: DeadLetterSummary[]; complete: boolean }> {
  const deadLetters: DeadLetterSummary[] = [];
  let after: number | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (after !== null) query.set('after', String(after));
    const result: DeadLetterPage = await callApi<DeadLetterPage>(`${DEAD_LETTERS_PATH}?${query}`, { token });
    deadLetters.push(...result.deadLetters);
    if (result.nextAfter === null) return { deadLetters, complete: true };
    after = result.nextAfter;
  }
  return { deadLetters, complete: false };
}

export function getDeadLetter(token: string, id: number): Promise<DeadLetter> {
  return callApi<DeadLetter>(`${DEAD_LETTERS_PATH}/${id}`, { token });
}

export function replayDeadLetter(token: string, id: number): Promise<ReplayedDeadLetter> {
  return callApi<ReplayedDeadLetter>(`${DEAD_LETTERS_PATH}/${id}/replay`, { token, method: 'POST' });
}

export function discardDeadLetter(token: string, id: number): Promise<{ id: number; discarded: true }> {
  return callApi(`${DEAD_LETTERS_PATH}/${id}/discard`, { token, method: 'POST' });
}

export function getOrder(token: string, orderId: string): Promise<OrderView> {
  return callApi<OrderView>(`/api/v1/admin/orders/${encodeURIComponent(orderId)}`, { token });
}

/** The first page of a customer's orders, newest first. */
export function listCustomerOrders(token: string, customerId: string): Promise<OrderPage> {
  return callApi<OrderPage>(`/api/v1/admin/orders?${new URLSearchParams({ customerId, limit: String(PAGE_SIZE) })}`, { token });
}

/** A saga still running as `GET /api/v1/admin/sagas` describes it (the OpenAPI document has it all). */

/** The oldest running sagas, up to a page of them; `nextCursor` is not null when more are running. */
export function listRunningSagas(token: string): Promise<RunningSagaPage> {
  return callApi(`/api/v1/admin/sagas?limit=${PAGE_SIZE}`, { token });
}

/** How many dead letters' payloads one refresh reads at most, so that a long queue is read over a few refreshes, within the rate limit. */
const PAYLOADS_PER_READ = 50;

/**
 * Every dead letter with its payload, which only its detail has. Dead letters do not change, so a
 * payload read once is kept in `known`; one not read yet is undefined.
 */
export async function listDeadLetterPayloads(token: string, known: Map<number, unknown>): Promise<Array<{ id: number; payload: unknown }>> {
  const { deadLetters } = await listDeadLetters(token);
  for (const { id } of deadLetters.filter((letter) => !known.has(letter.id)).slice(0, PAYLOADS_PER_READ)) {
    known.set(id, (await getDeadLetter(token, id)).payload);
  }
  return deadLetters.map(({ id }) => ({ id, payload: known.get(id) }));
}

/** What the console shows of `GET /api/v1/admin/bus` (the OpenAPI document has it all). */
export interface BusState {
  streams: Array<{
    name: string;
    subjects: string[];
    messages: number;
    bytes: number;
    replicas: number;
    consumers: Array<{ name: string; pending: number; ackPending: number; redelivered: number }>;
  }>;
}

export function getBus(token: string): Promise<BusState> {
  return callApi<BusState>('/api/v1/admin/bus', { token });
}

/** One replica's answer in `GET /api/v1/admin/services`. */
export type ReplicaState = Omit<ReplicaStatus, 'service'>;

/** What the console shows of `GET /api/v1/admin/services` (the OpenAPI document has it all). */
export interface ServicesState {
  services: Array<{ name: string; replicas: ReplicaState[]; noAnswer: string | null; deadLetters: number | null }>;
  waitedMs: number;
}

export function getServices(token: string): Promise<ServicesState> {
  return callApi<ServicesState>('/api/v1/admin/services', { token });
}

export async function devLogin(userId: string, roles: string[]): Promise<string> {
  const { accessToken } = await callApi<{ accessToken: string }>('/api/v1/auth/dev-login', { method: 'POST', body: { userId, roles } });
  return accessToken;
}
