import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { PrivateNatsServer, startPrivateNatsServer } from '@orders/testing';
import { accessToken, GatewayUnderTest, startGateway } from './gateway-under-test';

process.env.LOG_LEVEL ??= 'fatal';

const BUS = '/api/v1/admin/bus';

describe('gateway admin API for the message bus', () => {
  let nats: PrivateNatsServer;
  let client: NatsConnection;
  let gateway: GatewayUnderTest;

  const read = (roles: string[]) => fetch(`${gateway.url}${BUS}`, { headers: { authorization: `Bearer ${accessToken('operator-1', roles)}` } });

  beforeAll(async () => {
    nats = await startPrivateNatsServer();
    client = await connect({ servers: nats.url });
    const jsm = await jetstreamManager(client);
    await jsm.streams.add({ name: 'BUS_TEST', subjects: ['bus-test.>'] });
    await jsm.consumers.add('BUS_TEST', { durable_name: 'bus-test-reader', ack_policy: AckPolicy.Explicit });
    const js = jetstream(client);
    for (const n of [1, 2, 3]) await js.publish('bus-test.event', JSON.stringify({ n }));
    gateway = await startGateway(nats.url);
  }, 30_000);

  afterAll(async () => {
    await gateway?.app.close();
    await client?.close();
    await nats?.dispose();
  });

  it("answers every stream with its messages and its consumers' lag to an operator", async () => {
    const response = await read(['ops']);

    expect(response.status).toBe(200);
    const { streams } = (await response.json()) as { streams: Array<{ name: string }> };
    expect(streams.find((stream) => stream.name === 'BUS_TEST')).toEqual({
      name: 'BUS_TEST',
      subjects: ['bus-test.>'],
      messages: 3,
      bytes: expect.any(Number),
      replicas: 1,
      consumers: [{ name: 'bus-test-reader', pending: 3, ackPending: 0, redelivered: 0 }],
    });
  });

  it('answers 403 to a customer', async () => {
    expect((await read(['customer'])).status).toBe(403);
  });
});
