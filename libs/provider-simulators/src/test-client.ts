import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { FaultConfig, RouteStats } from './faults';
import { close, listen } from './json-http';

export interface TestResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

export interface PostOptions {
  /** Defaults to a fresh key per call; `null` sends no Idempotency-Key header. */
  readonly idempotencyKey?: string | null;
  /** Sent verbatim instead of the JSON-encoded body, to exercise malformed input. */
  readonly rawBody?: string;
}

/** Drives a running simulator's faults and reads its request statistics, e.g. from an adapter's integration test. */
export interface SimulatorControl {
  /** Replaces every fault; rejects with the simulator's explanation when the configuration is invalid. */
  setFaults(config: FaultConfig): Promise<FaultConfig>;
  faults(): Promise<FaultConfig>;
  clearFaults(): Promise<void>;
  /** Per route, keyed `METHOD /path` as the route is declared, e.g. `POST /v1/captures/:id/refunds`. */
  stats(): Promise<Record<string, RouteStats>>;
  resetStats(): Promise<void>;
  /** Per idempotent route, when each operation (Idempotency-Key) first arrived, in epoch milliseconds; reset with the statistics. */
  operations(): Promise<Record<string, number[]>>;
  /** No faults and fresh statistics: a clean start for the next test. */
  reset(): Promise<void>;
}

export interface TestClient extends SimulatorControl {
  readonly baseUrl: string;
  get(path: string): Promise<TestResponse>;
  post(path: string, body?: unknown, options?: PostOptions): Promise<TestResponse>;
  put(path: string, body: unknown): Promise<TestResponse>;
  delete(path: string): Promise<TestResponse>;
  stop(): Promise<void>;
}

export function simulatorControl(baseUrl: string): SimulatorControl {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status !== 200) {
      throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    }
    return JSON.parse(text) as T;
  }

  const clearFaults = async (): Promise<void> => {
    await call('DELETE', '/_faults');
  };
  const resetStats = async (): Promise<void> => {
    await call('DELETE', '/_stats');
  };
  return {
    setFaults: (config) => call('PUT', '/_faults', config),
    faults: () => call('GET', '/_faults'),
    clearFaults,
    stats: async () => (await call<{ routes: Record<string, RouteStats> }>('GET', '/_stats')).routes,
    resetStats,
    operations: async () => (await call<{ routes: Record<string, number[]> }>('GET', '/_operations')).routes,
    reset: async () => {
      await clearFaults();
      await resetStats();
    },
  };
}

/** Starts a simulator on an ephemeral port and talks to it over real HTTP. */
export async function startTestClient(server: Server): Promise<TestClient> {
  const baseUrl = await listen(server);

  async function send(path: string, init: RequestInit): Promise<TestResponse> {
    const response = await fetch(`${baseUrl}${path}`, init);
    const body = (await response.json()) as Record<string, unknown>;
    return { status: response.status, headers: response.headers, body };
  }

  return {
    ...simulatorControl(baseUrl),
    baseUrl,
    get: (path) => send(path, { method: 'GET' }),
    post: (path, body, { idempotencyKey = randomUUID(), rawBody } = {}) =>
      send(path, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(idempotencyKey === null ? {} : { 'idempotency-key': idempotencyKey }),
        },
        body: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
      }),
    put: (path, body) => send(path, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    delete: (path) => send(path, { method: 'DELETE' }),
    stop: () => close(server),
  };
}
