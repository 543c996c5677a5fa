import { withPostgres } from '@orders/local-processes';
import { OrderView } from '@orders/contracts';
import { ProcessName, RunningStack, ServiceName, StackTopology, stackTopology, startStack } from '@orders/local-stack';
import type { PaymentLedger, Shipment } from '@orders/provider-simulators';
import { PrivateNatsServer, PrivateNatsServerOptions, rawHttpRequest, RawHttpResponse, startPrivateNatsServer, waitFor } from '@orders/testing';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrivatePostgres } from '../chaos/private-postgres';

export const ADDRESS = { name: 'Ada Lovelace', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' };

export interface OrderRequest {
  items: Array<{ sku: string; quantity: number }>;
  shippingAddress: typeof ADDRESS;
  payment: { token: string };
}

export function orderOf(items: OrderRequest['items'], options: { country?: string; paymentToken?: string } = {}): OrderRequest {
  return { items, shippingAddress: { ...ADDRESS, country: options.country ?? ADDRESS.country }, payment: { token: options.paymentToken ?? 'tok_visa' } };
}

export interface ApiResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

export interface DeadLetter {
  id: number;
  service: string;
  consumer: string;
  subject: string;
  error: string;
  attempts: number;
  payload: { data?: { orderId?: string } };
}

export interface StockRow {
  available: number;
  reserved: number;
  committed: number;
}

export interface PlatformOptions {
  /**
   * Replicas of every app and NATS servers; one of each by default. With a NATS cluster the stack starts
   * it (`platform.stack.natsNodes`) instead of a private server, so `nats` and `beforeApps` do not apply.
   */
  topology?: Partial<StackTopology>;
  /** Extra environment per process, e.g. small retry budgets or a short saga deadline. */
  env?: Partial<Record<ProcessName, Record<string, string>>>;
  /** How the private NATS server runs, e.g. with an authorization file. */
  nats?: PrivateNatsServerOptions;
  /** Environment of the launcher, which every process inherits. */
  environment?: Record<string, string>;
  /** Runs once the NATS server is up and before the apps start, e.g. to create streams. */
  beforeApps?: (nats: PrivateNatsServer) => Promise<void>;
  /** That service's database on a Postgres server of the platform's own (`postgres`), which a test may restart; never the shared one. */
  ownPostgres?: ServiceName;
}

/** What order-service has written: orders, outbox messages and Idempotency-Keys. */
export interface OrderServiceRows {
  orders: number;
  outbox: number;
  idempotencyKeys: number;
}

/** The suites send far more requests per user than any client would; a suite about rate limits sets its own. */
const GENEROUS_RATE_LIMITS = { RATE_LIMIT_POINTS: '1000000', RATE_LIMIT_LOGIN_POINTS: '1000000', RATE_LIMIT_ORDERS_POINTS: '1000000' };

/**
 * The whole platform on a private NATS server and throw-away databases, seen the
 * way a client and an operator see it: through the gateway, the provider
 * simulators' ledgers and the inventory's stock rows.
 */
export class Platform {
  private running?: { nats?: PrivateNatsServer; stack: RunningStack; initialStock: Map<string, StockRow>; disposeNats(): Promise<void> };
  private ownPostgres?: PrivatePostgres;

  constructor(private readonly options: PlatformOptions = {}) {}

  async start(): Promise<void> {
    const topology = stackTopology(this.options.topology);
    if (topology.natsCluster > 1 && (this.options.nats || this.options.beforeApps)) throw new Error('A platform on a NATS cluster has no private server to configure or prepare');
    this.ownPostgres = this.options.ownPostgres ? await PrivatePostgres.start() : undefined;
    const throwAway = await throwAwayNats(topology, this.options.nats).catch(async (error: unknown) => {
      await this.ownPostgres?.dispose();
      throw error;
    });
    try {
      if (throwAway.server) await this.options.beforeApps?.(throwAway.server);
      const stack = await startStack({
        logs: 'capture',
        freePorts: true,
        topology,
        natsClusterDir: throwAway.clusterDir,
        databasePrefix: `e2e_${randomUUID().slice(0, 8)}`,
        dropDatabasesOnStop: true,
        databaseServerOf: this.options.ownPostgres && this.ownPostgres ? { [this.options.ownPostgres]: this.ownPostgres.url } : undefined,
        environment: { ...process.env, NATS_URL: throwAway.server?.url, ...this.options.environment },
        env: { ...this.options.env, gateway: { ...GENEROUS_RATE_LIMITS, ...this.options.env?.gateway } },
        readyTimeoutMs: 240_000,
      });
      this.running = { nats: throwAway.server, stack, initialStock: new Map(), disposeNats: throwAway.dispose };
      this.running.initialStock = await this.stock();
    } catch (error) {
      await throwAway.dispose();
      await this.ownPostgres?.dispose();
      throw error;
    }
  }

  async stop(): Promise<void> {
    await this.running?.stack.stop();
    await this.running?.disposeNats();
    await this.ownPostgres?.dispose();
    this.running = undefined;
    this.ownPostgres = undefined;
  }

  /** The platform's own Postgres, and the service whose database it holds (`ownPostgres`). */
  get postgres(): { server: PrivatePostgres; service: ServiceName } {
    if (!this.ownPostgres || !this.options.ownPostgres) throw new Error('This platform uses the shared Postgres; start it with ownPostgres to restart its own');
    return { server: this.ownPostgres, service: this.options.ownPostgres };
  }

  /** The private NATS server of a platform on one server. */
  get nats(): PrivateNatsServer {
    const { nats } = this.started();
    if (!nats) throw new Error('This platform runs on a NATS cluster; its nodes are stack.natsNodes');
    return nats;
  }

  get stack(): RunningStack {
    return this.started().stack;
  }

  /** Stock rows when the platform started, for conservation checks. */
  get initialStock(): Map<string, StockRow> {
    return this.started().initialStock;
  }

  private started(): NonNullable<Platform['running']> {
    if (!this.running) throw new Error('The platform has not been started');
    return this.running;
  }

  async api<T = unknown>(path: string, init: RequestInit & { token?: string } = {}): Promise<ApiResponse<T>> {
    const headers = new Headers(init.headers);
    if (init.token) headers.set('authorization', `Bearer ${init.token}`);
    if (init.body) headers.set('content-type', 'application/json');
    const response = await fetch(`${this.stack.gatewayUrl}${path}`, { ...init, headers });
    return { status: response.status, body: (await response.json()) as T, headers: response.headers };
  }

  async login(userId: string, roles: string[] = ['customer']): Promise<string> {
    const { status, body } = await this.api<{ accessToken: string }>('/api/v1/auth/dev-login', { method: 'POST', body: JSON.stringify({ userId, roles }) });
    if (status !== 200) throw new Error(`dev-login answered ${status}`);
    return body.accessToken;
  }

  placeOrder(token: string, order: OrderRequest, idempotencyKey: string = randomUUID()): Promise<ApiResponse<{ orderId: string; status: string }>> {
    return this.api('/api/v1/orders', { method: 'POST', token, headers: { 'idempotency-key': idempotencyKey }, body: JSON.stringify(order) });
  }

  /** Places an order that must be accepted and returns its id. */
  async place(token: string, order: OrderRequest): Promise<string> {
    const placed = await this.placeOrder(token, order);
    if (placed.status !== 202) throw new Error(`Placing an order answered ${placed.status}: ${JSON.stringify(placed.body)}`);
    return placed.body.orderId;
  }

  cancelOrder(token: string, orderId: string): Promise<ApiResponse<{ orderId: string; status: string }>> {
    return this.api(`/api/v1/orders/${orderId}/cancel`, { method: 'POST', token, headers: { 'idempotency-key': randomUUID() } });
  }

  async order(token: string, orderId: string): Promise<OrderView> {
    const { status, body } = await this.api<OrderView>(`/api/v1/orders/${orderId}`, { token });
    if (status !== 200) throw new Error(`GET order ${orderId} answered ${status}`);
    return body;
  }

  /** Waits until the order is no longer PENDING. */
  settled(token: string, orderId: string, timeoutMs = 60_000): Promise<OrderView> {
    return this.orderWhere(token, orderId, (order) => order.status !== 'PENDING', 'to leave PENDING', timeoutMs);
  }

  async orderWhere(token: string, orderId: string, accept: (order: OrderView) => boolean, what: string, timeoutMs = 60_000): Promise<OrderView> {
    try {
      return await waitFor(
        async () => {
          const order = await this.order(token, orderId);
          return accept(order) ? order : undefined;
        },
        { timeoutMs, intervalMs: 200, description: `order ${orderId} ${what}` },
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${await this.diagnose(token, orderId)}`, { cause: error });
    }
  }

  /** What every process logged about an order, and where it got to: for a failing test's message. */
  async diagnose(token: string, orderId: string): Promise<string> {
    const order = await this.order(token, orderId).catch((error: unknown) => String(error));
    const processes = Object.values(this.stack.replicas).flatMap((replicas) => replicas.map((replica) => replica.name));
    const lines = processes.flatMap((name) =>
      this.stack
        .logs(name)
        .filter((line) => line.includes(orderId))
        .map((line) => `[${name}] ${line}`),
    );
    return [`order: ${JSON.stringify(order)}`, ...lines.slice(-60)].join('\n');
  }

  /** Dead letters as an operator lists them (`ops` role), with their payloads. */
  async deadLetters(opsToken: string, service?: string): Promise<DeadLetter[]> {
    const query = service ? `?service=${service}&limit=100` : '?limit=100';
    const { status, body } = await this.api<{ deadLetters: Array<{ id: number }> }>(`/api/v1/admin/dead-letters${query}`, { token: opsToken });
    if (status !== 200) throw new Error(`Listing dead letters answered ${status}`);
    return Promise.all(body.deadLetters.map(async ({ id }) => (await this.api<DeadLetter>(`/api/v1/admin/dead-letters/${id}`, { token: opsToken })).body));
  }

  /** What the payment provider simulator really did for an order, or for every order without one. */
  paymentLedger(orderId?: string): Promise<PaymentLedger> {
    return this.simulatorRecords<PaymentLedger>('payment-provider-sim', '/v1/ledger', orderId);
  }

  /** The order's ledger once it shows a refund: refunds follow the order's CANCELLED status asynchronously. */
  refundedLedger(orderId: string, timeoutMs = 30_000): Promise<PaymentLedger> {
    return waitFor(
      async () => {
        const ledger = await this.paymentLedger(orderId);
        return ledger.refunds.length > 0 ? ledger : undefined;
      },
      { timeoutMs, description: `a refund for order ${orderId}` },
    );
  }

  /** The carrier's bookings for an order, or all of them without one. */
  async shipments(orderId?: string): Promise<Shipment[]> {
    return (await this.simulatorRecords<{ shipments: Shipment[] }>('carrier-sim', '/v1/shipments', orderId)).shipments;
  }

  private async simulatorRecords<T>(simulator: 'payment-provider-sim' | 'carrier-sim', path: string, reference: string | undefined): Promise<T> {
    const query = reference === undefined ? '' : `?reference=${encodeURIComponent(reference)}`;
    const response = await fetch(`${this.stack.urls[simulator]}${path}${query}`);
    if (!response.ok) throw new Error(`${simulator} answered ${response.status} to GET ${path}`);
    return (await response.json()) as T;
  }

  /** Stock rows straight from the inventory database: the ground truth for conservation checks. */
  stock(): Promise<Map<string, StockRow>> {
    return withPostgres(this.stack.databaseUrls.inventory, async (client) => {
      const { rows } = await client.query<StockRow & { sku: string }>('SELECT sku, available, reserved, committed FROM products');
      return new Map(rows.map(({ sku, available, reserved, committed }) => [sku, { available, reserved, committed }]));
    });
  }

  /** Rows in order-service's database, optionally only those of one customer: evidence of what a request did or did not do. */
  orderServiceRows(customerId?: string): Promise<OrderServiceRows> {
    return withPostgres(this.stack.databaseUrls.order, async (client) => {
      const count = async (sql: string) => Number((await client.query<{ n: string }>(sql, customerId === undefined ? [] : [customerId])).rows[0].n);
      const mine = (column: string) => (customerId === undefined ? '' : ` WHERE ${column} = $1`);
      return {
        orders: await count(`SELECT count(*) AS n FROM orders${mine('customer_id')}`),
        outbox: await count(`SELECT count(*) AS n FROM outbox${mine(`payload->'data'->>'customerId'`)}`),
        idempotencyKeys: await count(`SELECT count(*) AS n FROM idempotency_keys${mine('customer_id')}`),
      };
    });
  }

  /** Sends bytes to the gateway as they are, for requests no HTTP client would send. */
  raw(request: string | Buffer): Promise<RawHttpResponse> {
    return rawHttpRequest(this.stack.gatewayUrl, request);
  }

  /** What an operator does before a sale: set how many units are on hand. */
  async setAvailable(sku: string, available: number): Promise<void> {
    await withPostgres(this.stack.databaseUrls.inventory, (client) => client.query('UPDATE products SET available = $2 WHERE sku = $1', [sku, available]));
  }
}

/**
 * The NATS the platform alone uses, removed when it stops: a private server, or a folder for the
 * stores of the cluster the stack starts.
 */
async function throwAwayNats(topology: StackTopology, options?: PrivateNatsServerOptions): Promise<{ server?: PrivateNatsServer; clusterDir?: string; dispose(): Promise<void> }> {
  if (topology.natsCluster > 1) {
    const clusterDir = await mkdtemp(join(tmpdir(), 'e2e-nats-cluster-'));
    return { clusterDir, dispose: () => rm(clusterDir, { recursive: true, force: true }) };
  }
  const server = await startPrivateNatsServer(options);
  return { server, dispose: () => server.dispose() };
}

/** Money the customer paid and did not get back for an order, in minor units. */
export function netCharge(ledger: PaymentLedger): number {
  const captured = ledger.captures.reduce((sum, capture) => sum + capture.amount, 0);
  const refunded = ledger.refunds.reduce((sum, refund) => sum + refund.amount, 0);
  return captured - refunded;
}

/** Units that exist for a SKU whatever state they are in; every saga step only moves them around. */
export function unitsOf(row: StockRow | undefined): number {
  if (!row) throw new Error('No such SKU');
  return row.available + row.reserved + row.committed;
}

/** One platform for the enclosing `describe` block: started before its tests, stopped after them. */
export function platformForSuite(options: PlatformOptions = {}): Platform {
  const platform = new Platform(options);
  beforeAll(() => platform.start(), 300_000);
  afterAll(() => platform.stop(), 60_000);
  return platform;
}
