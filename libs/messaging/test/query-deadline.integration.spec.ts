import { connect, headers as natsHeaders, MsgHdrs, NatsConnection, Subscription } from '@nats-io/transport-node';
import { Controller, INestApplication } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { GetOrder, HEADERS, QueryReply, QueryRequest, QueryResponse } from '@orders/contracts';
import { Deadline, DeadlineExceeded } from '@orders/request-context';
import { PrivateNatsServer, startPrivateNatsServer } from '@orders/testing';
import { randomUUID } from 'node:crypto';
import { OnQuery, QueryClient, QueryFailure } from '../src';
import { startConsumerApp, TEST_CALLERS } from './support/test-app';

/** What the handler was asked, per order id, with the deadline the request carried. */
const handled = new Map<string, string | undefined>();
/** Order ids whose answer waits until the test lets it go. */
const held = new Map<string, () => void>();

@Controller()
class OrderQueries {
  @OnQuery(GetOrder)
  async getOrder(@Payload() request: QueryRequest<typeof GetOrder>, @Ctx() context: { headers?: MsgHdrs }): Promise<QueryResponse<typeof GetOrder>> {
    handled.set(request.orderId, context.headers?.get(HEADERS.deadline));
    await new Promise<void>((resolve) => (held.has(request.orderId) ? held.set(request.orderId, resolve) : resolve()));
    const now = new Date().toISOString();
    return {
      orderId: request.orderId,
      customerId: 'customer-1',
      status: 'PENDING',
      items: [],
      total: null,
      cancellationReason: null,
      timeline: [],
      createdAt: now,
      updatedAt: now,
    };
  }
}

/**
 * The deadline over NATS request/reply: the client sends it and waits no longer than it allows;
 * the responder refuses a request whose deadline has passed without running its handler.
 */
describe('query deadlines on a real NATS server', () => {
  let nats: PrivateNatsServer;
  let app: INestApplication;
  let queries: QueryClient;
  let raw: NatsConnection;

  beforeAll(async () => {
    nats = await startPrivateNatsServer();
    app = await startConsumerApp({ serviceName: 'query-deadline-test', natsUrl: nats.url, controllers: [OrderQueries] });
    queries = app.get(QueryClient);
    raw = await connect({ servers: nats.url });
  });

  afterAll(async () => {
    for (const release of held.values()) release();
    await raw?.close();
    await app?.close();
    await nats?.dispose();
  });

  const ask = (orderId: string) => ({ orderId });
  const asked = TEST_CALLERS.askedBy('customer-1');

  it('sends the caller’s deadline with the request and answers it while there is time', async () => {
    const orderId = randomUUID();
    const deadline = Deadline.after(10_000);

    await expect(queries.request(GetOrder, ask(orderId), { ...asked, timeoutMs: 30_000, deadline })).resolves.toMatchObject({ orderId });

    expect(handled.get(orderId)).toBe(deadline.toHeader());
  });

  it('sends its own timeout as the deadline when that comes first', async () => {
    const orderId = randomUUID();
    const before = Date.now();

    await queries.request(GetOrder, ask(orderId), { ...asked, timeoutMs: 3_000, deadline: Deadline.after(60_000) });

    const sent = Number(handled.get(orderId));
    expect(sent).toBeGreaterThanOrEqual(before + 3_000);
    expect(sent).toBeLessThanOrEqual(Date.now() + 3_000);
  });

  it('refuses a request whose deadline has passed with DEADLINE_EXCEEDED, without running the handler', async () => {
    const orderId = randomUUID();
    const headers = natsHeaders();
    headers.set(HEADERS.deadline, String(Date.now() - 1_000));
    headers.set(HEADERS.requestId, `late-${orderId}`);

    const reply = (await raw.request(GetOrder.subject, JSON.stringify(ask(orderId)), { timeout: 5_000, headers })).json<QueryReply<unknown>>();

    expect(reply).toEqual({ ok: false, error: { code: 'DEADLINE_EXCEEDED', message: expect.stringMatching(/deadline passed \d+ ms before it was read/) } });
    expect(handled.has(orderId)).toBe(false);
  });

  it('does not send a query once the caller’s deadline has passed', async () => {
    const orderId = randomUUID();
    const seen: string[] = [];
    const spy: Subscription = raw.subscribe(GetOrder.subject, {
      callback: (_error, message) => {
        seen.push(message.json<{ orderId: string }>().orderId);
      },
    });
    await raw.flush();
    try {
      await expect(queries.request(GetOrder, ask(orderId), { ...asked, deadline: Deadline.after(-1) })).rejects.toBeInstanceOf(DeadlineExceeded);
      // A query sent after this one reaches the spy, so one sent before it would have too.
      await queries.request(GetOrder, ask(randomUUID()), asked);
      expect(seen).not.toContain(orderId);
      expect(handled.has(orderId)).toBe(false);
    } finally {
      spy.unsubscribe();
    }
  });

  it('waits only for the time left before the caller’s deadline, not for its own longer timeout', async () => {
    const orderId = randomUUID();
    held.set(orderId, () => undefined);

    // The suite's 30 s test timeout would fail the test if the 60 s timeout were what ended the wait.
    const error = await queries.request(GetOrder, ask(orderId), { ...asked, timeoutMs: 60_000, deadline: Deadline.after(2_000) }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(DeadlineExceeded);
    expect(handled.has(orderId)).toBe(true);
    held.get(orderId)?.();
  });

  it('reports its own timeout running out as a QueryFailure, not as the caller’s deadline', async () => {
    const orderId = randomUUID();
    held.set(orderId, () => undefined);

    const error = await queries.request(GetOrder, ask(orderId), { ...asked, timeoutMs: 300, deadline: Deadline.after(20_000) }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(QueryFailure);
    expect(error).toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    held.get(orderId)?.();
  });
});
