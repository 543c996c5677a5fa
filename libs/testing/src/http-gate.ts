import { waitFor } from '@orders/local-processes';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RequestMatcher {
  method: string;
  /** Matched against the path without the query string. */
  path: RegExp;
}

/** Before the request reaches the API, or after the API answered it (its effect happened, the caller does not know yet). */
export type HoldPhase = 'request' | 'response';

/**
 * An HTTP proxy in front of a real API (e.g. a provider simulator) that a test can
 * tell to hold or refuse chosen requests, to stage races and outages
 * deterministically instead of hoping for the right timing.
 */
export interface HttpGate {
  /** Where to send requests through the gate. */
  readonly url: string;
  /** The API behind the gate, for a test to read from directly. */
  readonly targetUrl: string;
  /** Keeps matching requests waiting, at `phase`, until `pass()`. */
  hold(matcher: RequestMatcher, phase?: HoldPhase): void;
  /** Answers matching requests with `status` without forwarding them, until `pass()`. */
  refuse(matcher: RequestMatcher, status: number): void;
  /** Resolves once a request is being held. */
  holding(): Promise<void>;
  /** Lets the held requests go on and holds no more; refusals stay. */
  release(): void;
  /** Lets the held requests go on, and forwards everything from now on. */
  pass(): void;
  /** Lets the held requests go on, then stops once they are answered (and stops the API it started). */
  close(): Promise<void>;
}

// Hop-by-hop and framing headers belong to each connection, not to the forwarded message.
const UNFORWARDED_HEADERS = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding']);
const HOLDING_TIMEOUT_MS = 10_000;

/** A gate in front of the API at a URL, or of an in-process API server, which it then starts and stops. */
export async function startHttpGate(target: string | Server): Promise<HttpGate> {
  const targetUrl = typeof target === 'string' ? target : await listenLocally(target);
  let holds: Array<RequestMatcher & { phase: HoldPhase }> = [];
  let refusals: Array<RequestMatcher & { status: number }> = [];
  let held: Array<() => void> = [];

  const matching = <TRule extends RequestMatcher>(rules: TRule[], request: IncomingMessage): TRule | undefined => {
    const path = new URL(request.url ?? '/', 'http://gate').pathname;
    return rules.find((rule) => rule.method === request.method && rule.path.test(path));
  };
  const wait = (): Promise<void> => new Promise((resolve) => held.push(resolve));

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const refusal = matching(refusals, request);
    if (refusal) {
      response.writeHead(refusal.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { code: 'refused_by_test_gate', message: `The test refused ${request.method} ${request.url}` } }));
      return;
    }
    const phase = matching(holds, request)?.phase;
    if (phase === 'request') await wait();
    const answer = await forward(targetUrl, request);
    if (phase === 'response') await wait();
    response.writeHead(answer.status, answer.headers);
    response.end(answer.body);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(502, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { code: 'bad_gateway', message: String(error) } }));
    });
  });
  const url = await listenLocally(server);

  const release = (): void => {
    holds = [];
    const resumes = held;
    held = [];
    resumes.forEach((resume) => resume());
  };
  const pass = (): void => {
    refusals = [];
    release();
  };

  return {
    url,
    targetUrl,
    hold: (matcher, phase = 'request') => {
      holds.push({ ...matcher, phase });
    },
    refuse: (matcher, status) => {
      refusals.push({ ...matcher, status });
    },
    holding: async () => {
      await waitFor(() => held.length > 0, { timeoutMs: HOLDING_TIMEOUT_MS, description: 'a request to be held at the gate' });
    },
    release,
    pass,
    close: async () => {
      pass();
      await stop(server);
      if (typeof target !== 'string') await stop(target);
    },
  };
}

function listenLocally(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

function stop(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Keep-alive sockets would otherwise hold the server open until they time out.
    server.closeIdleConnections();
  });
}

async function forward(targetUrl: string, request: IncomingMessage): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const headers = Object.fromEntries(
    Object.entries(request.headers).flatMap(([name, value]) => (UNFORWARDED_HEADERS.has(name) || value === undefined ? [] : [[name, String(value)]])),
  );
  const response = await fetch(new URL(request.url ?? '/', targetUrl), {
    method: request.method,
    headers,
    body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
  });
  const answerHeaders: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!UNFORWARDED_HEADERS.has(name)) answerHeaders[name] = value;
  });
  return { status: response.status, headers: answerHeaders, body: Buffer.from(await response.arrayBuffer()) };
}
