import { INestApplication, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DeadLetters, MessagingModule } from '@orders/messaging';
import { PrivateNatsServer, startPrivateNatsServer, waitFor } from '@orders/testing';
import { HealthModule } from './health.module';

describe('health probes', () => {
  let nats: PrivateNatsServer;
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    nats = await startPrivateNatsServer();
    @Module({ imports: [MessagingModule.forRoot({ serviceName: 'health-test', natsUrl: nats.url }), HealthModule.forRoot({ database: false })] })
    class HealthTestModule {}
    app = (await Test.createTestingModule({ imports: [HealthTestModule] }).compile()).createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
    await nats?.dispose();
  });

  it('shows the dead-letter depth of the service without ever failing readiness for it', async () => {
    const ready = async () => {
      const response = await fetch(`${url}/health/ready`);
      return { status: response.status, body: (await response.json()) as { info: Record<string, unknown> } };
    };
    expect(await ready()).toMatchObject({ status: 200, body: { info: { deadLetters: { status: 'up', service: 'health-test', depth: 0 } } } });

    const deadLetters = app.get(DeadLetters);
    const failed = {
      subject: 'order.placed.v1',
      data: new TextEncoder().encode('{'),
      stream: 'ORDER',
      kind: 'permanent',
      attempts: 1,
      error: 'Message body is not valid JSON',
    } as const;
    await deadLetters.record({ ...failed, streamSequence: 1, service: 'health-test', consumer: 'health-test-order-placed' });
    await deadLetters.record({ ...failed, streamSequence: 2, service: 'another-service', consumer: 'another-service-order-placed' });

    expect(await ready()).toMatchObject({ status: 200, body: { info: { nats: { status: 'up' }, deadLetters: { status: 'up', depth: 1 } } } });
  });

  it('is live and ready while NATS is connected; not ready, but still live, while it is down', async () => {
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);

    await nats.stop();
    await waitFor(async () => (await fetch(`${url}/health/ready`)).status === 503, { timeoutMs: 15_000, description: 'readiness to fail' });
    expect((await fetch(`${url}/health/live`)).status).toBe(200);

    await nats.start();
    await waitFor(async () => (await fetch(`${url}/health/ready`)).status === 200, { timeoutMs: 20_000, description: 'readiness to recover' });
  });
});
