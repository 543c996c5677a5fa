import { PermanentFailure } from '@orders/shared-kernel';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CircuitOpenError, HttpStatusError, NetworkError, TimeoutError } from './errors';
import { JsonHttpClient } from './json-http-client';
import { createResiliencePolicy, type ResiliencePolicyOptions } from './resilience-policy';

interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

type Answer = (response: ServerResponse) => void;

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Answer =>
  (response) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  };

describe('JsonHttpClient against a real HTTP server', () => {
  let server: Server;
  let baseUrl: string;
  let received: ReceivedRequest[];
  /** Answers taken in turn; the last one repeats. */
  let answers: Answer[];
  let aborted: number;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString() });
        const answer = answers[Math.min(received.length, answers.length) - 1];
        answer(response);
      });
      response.on('close', () => {
        if (!response.writableFinished) aborted += 1;
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    received = [];
    answers = [];
    aborted = 0;
  });

  const client = (options: Partial<ResiliencePolicyOptions> = {}, url = baseUrl) =>
    new JsonHttpClient(url, createResiliencePolicy({ name: 'test-provider', ...options, retry: { baseDelayMs: 1, maxDelayMs: 50, ...options.retry } }));

  const post = { method: 'POST', path: '/v1/things', body: { amount: 5 }, idempotencyKey: 'thing-1', expectedStatuses: [201, 402] } as const;

  it('sends JSON with the idempotency key and returns an expected status with its parsed body', async () => {
    answers = [json(201, { id: 'thing_1' })];

    const reply = await client().request(post);

    expect(reply).toEqual({ status: 201, body: { id: 'thing_1' } });
    expect(received).toEqual([
      expect.objectContaining({
        method: 'POST',
        url: '/v1/things',
        body: '{"amount":5}',
        headers: expect.objectContaining({ 'content-type': 'application/json', 'idempotency-key': 'thing-1' }),
      }),
    ]);
  });

  it('returns a business refusal listed as expected instead of throwing it', async () => {
    answers = [json(402, { status: 'declined' })];

    await expect(client().request(post)).resolves.toEqual({ status: 402, body: { status: 'declined' } });
  });

  it('retries 429s with the same idempotency key, honouring Retry-After, until it succeeds', async () => {
    answers = [json(429, {}, { 'retry-after': '0' }), json(429, {}, { 'retry-after': '0' }), json(201, { id: 'thing_1' })];

    await expect(client().request(post)).resolves.toMatchObject({ status: 201 });
    expect(received.map((request) => request.headers['idempotency-key'])).toEqual(['thing-1', 'thing-1', 'thing-1']);
  });

  it('throws the last transient failure with the provider-requested wait once the retries are spent', async () => {
    answers = [json(503, { error: { code: 'unavailable' } }, { 'retry-after': '2' })];

    const error = await client({ retry: { attempts: 2, maxDelayMs: 10 } })
      .request(post)
      .catch((caught: unknown) => caught);

    expect(received).toHaveLength(2);
    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error).toMatchObject({ status: 503, retryAfterMs: 2_000 });
    expect((error as Error).message).toContain('test-provider answered 503 to POST /v1/things');
  });

  it.each([400, 404, 409, 422])('turns an unexpected %i into a PermanentFailure without retrying', async (status) => {
    answers = [json(status, { error: { code: 'refused' } })];

    const error = await client()
      .request(post)
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(PermanentFailure);
    expect((error as Error).message).toContain('"refused"');
    expect((error as PermanentFailure).cause).toMatchObject({ status });
    expect(received).toHaveLength(1);
  });

  it('aborts a request that outlives its timeout and retries it', async () => {
    answers = [() => undefined, json(201, { id: 'thing_1' })];

    await expect(client({ timeoutMs: 100 }).request(post)).resolves.toMatchObject({ status: 201 });
    expect(received).toHaveLength(2);
    // The first request was cancelled on the wire, not left running.
    expect(aborted).toBe(1);
  });

  it('reports a timeout once every attempt timed out', async () => {
    answers = [() => undefined];

    await expect(client({ timeoutMs: 50, retry: { attempts: 2 } }).request(post)).rejects.toBeInstanceOf(TimeoutError);
  });

  it('reports an unreachable provider as a NetworkError with its cause, after retrying', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));

    const error = await client({ retry: { attempts: 2 } }, url)
      .request(post)
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toMatch(/test-provider unreachable on POST \/v1\/things: .*ECONNREFUSED/);
  });

  it('fails fast once the breaker opened', async () => {
    answers = [json(500, {})];
    const guarded = client({ retry: { attempts: 1 }, breaker: { threshold: 2 } });
    await expect(guarded.request(post)).rejects.toMatchObject({ status: 500 });
    await expect(guarded.request(post)).rejects.toMatchObject({ status: 500 });

    await expect(guarded.request(post)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(received).toHaveLength(2);
  });

  it('rejects an expected status whose body is not JSON, without retrying', async () => {
    answers = [(response) => response.writeHead(201).end('<html>')];

    await expect(client().request(post)).rejects.toThrow('test-provider answered 201 to POST /v1/things with a body that is not JSON');
    expect(received).toHaveLength(1);
  });
});
