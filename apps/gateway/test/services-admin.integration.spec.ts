import { connect, NatsConnection, Subscription } from '@nats-io/transport-node';
import { ReplicaStatus, serviceStatusSubject } from '@orders/contracts';
import { DeadLetters } from '@orders/messaging';
import { PrivateNatsServer, startPrivateNatsServer } from '@orders/testing';
import { ServicesState } from '../src/application/service-status-admin';
import { accessToken, GatewayUnderTest, startGateway } from './gateway-under-test';

process.env.LOG_LEVEL ??= 'fatal';

const SERVICES = '/api/v1/admin/services';

const replicaOf = (service: string, replica: string, overrides: Partial<ReplicaStatus> = {}): ReplicaStatus => ({
  service,
  replica,
  ready: true,
  reasons: [],
  outbox: { rows: 0, oldestAgeSeconds: 0 },
  breakers: [],
  ...overrides,
});

describe('gateway admin API for the services’ status', () => {
  let nats: PrivateNatsServer;
  let client: NatsConnection;
  let gateway: GatewayUnderTest;
  const subscriptions: Subscription[] = [];

  /** A replica as a service runs it: answers every status request of its service with `answer`. */
  const answerAs = (service: string, answer: unknown) => {
    const subscription = client.subscribe(serviceStatusSubject(service), {
      callback: (_error, message) => {
        message.respond(JSON.stringify(answer));
      },
    });
    subscriptions.push(subscription);
  };
  const read = (roles: string[]) => fetch(`${gateway.url}${SERVICES}`, { headers: { authorization: `Bearer ${accessToken('operator-1', roles)}` } });

  beforeAll(async () => {
    nats = await startPrivateNatsServer();
    client = await connect({ servers: nats.url });
    gateway = await startGateway(nats.url);
  }, 30_000);

  afterAll(async () => {
    subscriptions.forEach((subscription) => subscription.unsubscribe());
    await gateway?.app.close();
    await client?.close();
    await nats?.dispose();
  });

  it('gathers every replica of every service, says why a service has none, and counts each service’s dead letters', async () => {
    const open = { dependency: 'payment-provider', state: 'open', halfOpenInMs: 4_000 } as const;
    answerAs('payment-service', replicaOf('payment-service', 'host-b:2', { breakers: [open] }));
    answerAs('payment-service', replicaOf('payment-service', 'host-a:1', { ready: false, reasons: ['database: timeout of 1500ms exceeded'], outbox: null }));
    answerAs('inventory-service', { service: 'inventory-service', healthy: 'very' });
    answerAs('inventory-service', replicaOf('order-service', 'host-c:3'));
    // A replica that hears the request and never answers (stuck, or its answer lost).
    subscriptions.push(client.subscribe(serviceStatusSubject('order-service')));
    await client.flush();
    await gateway.app.get(DeadLetters).record({
      subject: 'order.cancelled.v1',
      data: new TextEncoder().encode('{}'),
      stream: 'ORDER',
      streamSequence: 7,
      service: 'payment-service',
      consumer: 'payment-service-order-cancelled',
      error: 'Payment provider answered 429',
      kind: 'exhausted',
      attempts: 8,
    });

    const response = await read(['ops']);

    expect(response.status).toBe(200);
    const { services, waitedMs } = (await response.json()) as ServicesState;
    expect(waitedMs).toBeGreaterThan(0);
    expect(services).toEqual([
      { name: 'order-service', replicas: [], noAnswer: `no replica answered within ${waitedMs} ms`, deadLetters: 0 },
      { name: 'inventory-service', replicas: [], noAnswer: 'its answers were not a status this gateway understands', deadLetters: 0 },
      {
        name: 'payment-service',
        replicas: [
          { replica: 'host-a:1', ready: false, reasons: ['database: timeout of 1500ms exceeded'], outbox: null, breakers: [] },
          { replica: 'host-b:2', ready: true, reasons: [], outbox: { rows: 0, oldestAgeSeconds: 0 }, breakers: [open] },
        ],
        noAnswer: null,
        deadLetters: 1,
      },
      { name: 'shipping-service', replicas: [], noAnswer: 'no replica is running', deadLetters: 0 },
    ]);
  });

  it('answers 403 to a customer', async () => {
    expect((await read(['customer'])).status).toBe(403);
  });
});
