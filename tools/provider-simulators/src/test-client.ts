import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
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

export interface TestClient {
  get(path: string): Promise<TestResponse>;
  post(path: string, body?: unknown, options?: PostOptions): Promise<TestResponse>;
  stop(): Promise<void>;
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
    stop: () => close(server),
  };
}
