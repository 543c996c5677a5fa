import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultInjector, type FaultConfig, type InjectedFault } from './faults';

// One HTTP layer for every simulator, so they all share the same error shape, limits and idempotency rules.

// Far above any legitimate simulator request, low enough that a runaway client cannot exhaust memory.
const MAX_BODY_BYTES = 64 * 1024;

/** A failed request, rendered as `{ error: { code, message } }` with the given HTTP status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const invalidRequest = (message: string): HttpError => new HttpError(400, 'invalid_request', message);

export interface JsonResponse {
  readonly status: number;
  readonly body: unknown;
}

export interface RouteRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: unknown;
}

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Literal segments and `:name` parameters, e.g. `/v1/authorizations/:id/capture`. */
  readonly path: string;
  /** Requires an `Idempotency-Key` header and replays the stored outcome for repeated requests. */
  readonly idempotent?: boolean;
  /** Synchronous on purpose: the idempotency check, the effect and storing the outcome cannot interleave. */
  readonly handle: (request: RouteRequest) => JsonResponse;
  /** Simulator plumbing (health, fault control) rather than provider API: never faulted, not counted in the stats. */
  readonly control?: boolean;
}

export interface SimulatorOptions {
  /** Faults in force from the start; `PUT /_faults` replaces them at run time. */
  readonly faults?: FaultConfig;
}

interface SerializedResponse {
  readonly status: number;
  readonly text: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly replayed?: boolean;
}

const routeKey = (route: Route): string => `${route.method} ${route.path}`;

export function createJsonServer(routes: readonly Route[], options: SimulatorOptions = {}): Server {
  const faults = new FaultInjector(routes.filter((route) => !route.control).map(routeKey), options.faults);
  const operations = new OperationArrivals();
  const router = createRouter([...routes, ...faultControlRoutes(faults, operations)]);
  const idempotency = new IdempotencyStore();

  // Every request goes through here, so behaviour that applies to all routes belongs here too.
  async function handleRequest(request: IncomingMessage): Promise<SerializedResponse> {
    const url = new URL(request.url ?? '/', 'http://simulator');
    const match = router.match(request.method ?? '', url.pathname);
    if (!match) {
      throw new HttpError(404, 'route_not_found', `No route for ${request.method} ${url.pathname}`);
    }
    const routeRequest = { params: match.params, query: url.searchParams, body: await readJsonBody(request) };
    const execute = (): SerializedResponse => serialize(runHandler(match.route, routeRequest));
    if (match.route.control) {
      return execute();
    }
    const operationKey = request.headers['idempotency-key'];
    // A request without a key is refused after the fault decision, as before; it is no operation.
    if (match.route.idempotent && typeof operationKey === 'string' && operationKey.trim() !== '') operations.arrived(routeKey(match.route), operationKey);
    // The fault is decided before the idempotency store and the handler: a faulted request leaves no trace.
    return faults.intercept(
      routeKey(match.route),
      () =>
        match.route.idempotent
          ? idempotency.replayOrExecute({
              scope: routeKey(match.route),
              key: idempotencyKeyOf(request),
              fingerprint: requestFingerprint(url.pathname, routeRequest.body),
              execute,
            })
          : execute(),
      serializeFault,
    );
  }

  return createServer((request: IncomingMessage, response: ServerResponse) => {
    handleRequest(request)
      .catch(errorResponse)
      .then((result) => send(response, result));
  });
}

/**
 * When each operation (an idempotent route and an Idempotency-Key) first reached the simulator, faulted
 * or not; retries under the same key are the same operation. What a rate limit on the callers' side
 * is about: how many distinct operations a provider receives per second.
 */
class OperationArrivals {
  private readonly firstArrivals = new Map<string, Map<string, number>>();

  arrived(route: string, key: string): void {
    const keys = this.firstArrivals.get(route) ?? new Map<string, number>();
    if (!keys.has(key)) keys.set(key, Date.now());
    this.firstArrivals.set(route, keys);
  }

  /** Per route, the epoch milliseconds of each operation's first arrival, in arrival order. */
  byRoute(): Record<string, number[]> {
    return Object.fromEntries([...this.firstArrivals].map(([route, keys]) => [route, [...keys.values()]]));
  }

  clear(): void {
    this.firstArrivals.clear();
  }
}

/**
 * `PUT|GET|DELETE /_faults` to set, see and clear faults; `GET|DELETE /_stats` to read and reset the request
 * statistics; `GET /_operations` for when each operation first arrived (reset with the statistics).
 */
function faultControlRoutes(faults: FaultInjector, operations: OperationArrivals): Route[] {
  return [
    {
      method: 'PUT',
      path: '/_faults',
      control: true,
      handle: ({ body }) => {
        try {
          return { status: 200, body: faults.configure(body) };
        } catch (error) {
          throw new HttpError(400, 'invalid_faults', (error as Error).message);
        }
      },
    },
    { method: 'GET', path: '/_faults', control: true, handle: () => ({ status: 200, body: faults.current() }) },
    { method: 'DELETE', path: '/_faults', control: true, handle: () => ({ status: 200, body: faults.configure({ rules: [] }) }) },
    { method: 'GET', path: '/_stats', control: true, handle: () => ({ status: 200, body: { routes: faults.statistics() } }) },
    {
      method: 'DELETE',
      path: '/_stats',
      control: true,
      handle: () => {
        faults.resetStats();
        operations.clear();
        return { status: 200, body: { routes: faults.statistics() } };
      },
    },
    { method: 'GET', path: '/_operations', control: true, handle: () => ({ status: 200, body: { routes: operations.byRoute() } }) },
  ];
}

const serializeFault = (fault: InjectedFault): SerializedResponse => ({
  ...serialize({ status: fault.status, body: fault.body }),
  headers: fault.headers,
});

function runHandler(route: Route, request: RouteRequest): JsonResponse {
  try {
    return route.handle(request);
  } catch (error) {
    // Business refusals become the request's outcome (and are replayed); anything else is a bug.
    if (error instanceof HttpError) {
      return errorBody(error);
    }
    throw error;
  }
}

function errorResponse(error: unknown): SerializedResponse {
  if (error instanceof HttpError) {
    return serialize(errorBody(error));
  }
  console.error('Unhandled simulator error', error);
  return serialize(errorBody(new HttpError(500, 'internal_error', 'The simulator failed to handle the request')));
}

const errorBody = (error: HttpError): JsonResponse => ({
  status: error.status,
  body: { error: { code: error.code, message: error.message } },
});

const serialize = (response: JsonResponse): SerializedResponse => ({
  status: response.status,
  text: JSON.stringify(response.body),
});

function send(response: ServerResponse, result: SerializedResponse): void {
  response.writeHead(result.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(result.text),
    ...result.headers,
    ...(result.replayed ? { 'idempotent-replayed': 'true' } : {}),
  });
  response.end(result.text);
}

interface RouteMatch {
  readonly route: Route;
  readonly params: Record<string, string>;
}

function createRouter(routes: readonly Route[]): { match(method: string, path: string): RouteMatch | undefined } {
  const compiled = routes.map((route) => ({ route, segments: splitPath(route.path) }));
  return {
    match(method, path) {
      const segments = splitPath(path);
      for (const { route, segments: pattern } of compiled) {
        const params = route.method === method ? matchSegments(pattern, segments) : undefined;
        if (params) {
          return { route, params };
        }
      }
      return undefined;
    },
  };
}

const splitPath = (path: string): string[] => path.split('/').filter((segment) => segment !== '');

function matchSegments(pattern: readonly string[], segments: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) {
    return undefined;
  }
  const params: Record<string, string> = {};
  for (const [index, expected] of pattern.entries()) {
    const actual = segments[index] ?? '';
    if (expected.startsWith(':')) {
      const value = safeDecode(actual);
      if (value === undefined) {
        return undefined;
      }
      params[expected.slice(1)] = value;
    } else if (expected !== actual) {
      return undefined;
    }
  }
  return params;
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const text = await readBody(request);
  if (text.trim() === '') {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'malformed_json', 'Request body is not valid JSON');
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        // Keep draining instead of destroying the socket, so the client still receives the 413.
        request.off('data', onData).resume();
        reject(new HttpError(413, 'payload_too_large', `Request body exceeds ${MAX_BODY_BYTES} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function idempotencyKeyOf(request: IncomingMessage): string {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string' || key.trim() === '') {
    throw new HttpError(400, 'idempotency_key_missing', 'The Idempotency-Key header is required');
  }
  return key;
}

function requestFingerprint(path: string, body: unknown): string {
  return createHash('sha256').update(path).update('\n').update(canonicalJson(body)).digest('hex');
}

// Clients may re-serialise a retried request with keys in another order; that is still the same request.
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? '';
}

interface IdempotentExecution {
  /** Keys only collide within one route, so one key can serve e.g. both authorize and capture of an order. */
  readonly scope: string;
  readonly key: string;
  readonly fingerprint: string;
  readonly execute: () => SerializedResponse;
}

class IdempotencyStore {
  private readonly outcomes = new Map<string, { fingerprint: string; response: SerializedResponse }>();

  replayOrExecute({ scope, key, fingerprint, execute }: IdempotentExecution): SerializedResponse {
    const storeKey = `${scope}\n${key}`;
    const stored = this.outcomes.get(storeKey);
    if (stored) {
      if (stored.fingerprint !== fingerprint) {
        throw new HttpError(422, 'idempotency_key_reused', 'Idempotency-Key was already used with a different request');
      }
      return { ...stored.response, replayed: true };
    }
    const response = execute();
    // A 400 was rejected before any effect and a 5xx is transient: the client may fix or retry it under the same key.
    if (response.status !== 400 && response.status < 500) {
      this.outcomes.set(storeKey, { fingerprint, response });
    }
    return response;
  }
}

/** Liveness and readiness, on the same paths as the apps' probes; a simulator is ready once it listens. */
export const healthRoutes: Route[] = ['/health/live', '/health/ready'].map((path) => ({
  method: 'GET',
  path,
  // Start-up probes must see the simulator up even while it injects faults.
  control: true,
  handle: () => ({ status: 200, body: { status: 'ok' } }),
}));

export const randomId = (prefix: string): string => `${prefix}_${randomBytes(12).toString('hex')}`;

export function requireObject(value: unknown, field: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidRequest(`"${field}" must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

export function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalidRequest(`"${field}" must be a non-empty string`);
  }
  return value;
}

/** Applies the optional `?reference=` filter that lets tests inspect what happened for one order. */
export function filterByReference<T extends { readonly reference: string }>(items: Iterable<T>, query: URLSearchParams): T[] {
  const reference = query.get('reference');
  return [...items].filter((item) => reference === null || item.reference === reference);
}

/** Listens and resolves with the base URL; port 0 picks a free port, which is what in-process tests want. */
export function listen(server: Server, port = 0, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const hostname = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve(`http://${hostname}:${address.port}`);
    });
  });
}

export function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Keep-alive sockets would otherwise hold the server open until they time out.
    server.closeIdleConnections();
  });
}

/**
 * Entry-point lifecycle: listen on PORT/HOST, log one line, close cleanly on SIGTERM/SIGINT.
 * `SIMULATOR_FAULTS` (the JSON body of `PUT /_faults`) injects faults from the start, for demos.
 */
export function runUntilSignalled(create: (options: SimulatorOptions) => Server, options: { name: string; defaultPort: number }): void {
  const port = Number(process.env.PORT ?? options.defaultPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`${options.name}: PORT must be an integer between 0 and 65535, got "${process.env.PORT}"`);
    process.exitCode = 1;
    return;
  }
  let server: Server;
  try {
    server = create({ faults: faultsFromEnvironment() });
  } catch (error) {
    console.error(`${options.name}: SIMULATOR_FAULTS is invalid: ${(error as Error).message}`);
    process.exitCode = 1;
    return;
  }
  const shutdown = (signal: NodeJS.Signals): void => {
    console.log(`${options.name} received ${signal}, closing`);
    close(server).catch((error: unknown) => {
      console.error(`${options.name} failed to close`, error);
      process.exitCode = 1;
    });
  };
  // `once`, so a second signal falls back to Node's default and kills a shutdown that hangs.
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  listen(server, port, process.env.HOST ?? '127.0.0.1').then(
    (url) => console.log(`${options.name} listening on ${url}`),
    (error: unknown) => {
      console.error(`${options.name} failed to listen`, error);
      process.exitCode = 1;
    },
  );
}

function faultsFromEnvironment(): FaultConfig | undefined {
  const json = process.env.SIMULATOR_FAULTS;
  // Validated by the server it configures, exactly like a `PUT /_faults` body.
  return json ? (JSON.parse(json) as FaultConfig) : undefined;
}
