import { INestApplication, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { replicaStatusSchema, serviceStatusSubject } from '@orders/contracts';
import { MessagingModule } from '@orders/messaging';
import { CircuitBreakerMetrics, MetricsModule } from '@orders/metrics';
import { createResiliencePolicy, NetworkError } from '@orders/resilience';
import { PrivateNatsServer, startPrivateNatsServer } from '@orders/testing';
import { HealthModule } from './health.module';

const SERVICE = 'status-test';

describe('status requests answered by every replica', () => {
  let nats: PrivateNatsServer;
  let client: NatsConnection;
  const apps: INestApplication[] = [];

  async function startReplica(serviceName: string, answersStatusRequests: boolean): Promise<INestApplication> {
    @Module({
      imports: [
        MessagingModule.forRoot({ serviceName, natsUrl: nats.url }),
        MetricsModule.forRoot({ service: serviceName }),
        HealthModule.forRoot({ database: false, answersStatusRequests }),
      ],
    })
    class ReplicaModule {}
    const app = (await Test.createTestingModule({ imports: [ReplicaModule] }).compile()).createNestApplication({ logger: false });
    await app.init();
    apps.push(app);
    return app;
  }

  /** Every answer that comes within a second, as the gateway gathers them. */
  async function ask(service: string): Promise<unknown[]> {
    const answers: unknown[] = [];
    try {
      for await (const answer of await client.requestMany(serviceStatusSubject(service), '', { strategy: 'timer', maxWait: 1_000 })) answers.push(answer.json());
    } catch (error) {
      if (!/no responders/i.test(String(error))) throw error;
    }
    return answers;
  }

  beforeAll(async () => {
    nats = await startPrivateNatsServer();
    client = await connect({ servers: nats.url });
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await client?.close();
    await nats?.dispose();
  });

  it('answers once per replica with its readiness, outbox and breakers; an app that does not answer status requests stays silent', async () => {
    const [first] = await Promise.all([startReplica(SERVICE, true), startReplica(SERVICE, true), startReplica('status-silent', false)]);
    const provider = createResiliencePolicy({ name: 'card-provider', retry: { attempts: 1 }, breaker: { threshold: 1, halfOpenAfterMs: 60_000 } });
    first.get(CircuitBreakerMetrics).track(provider);
    await provider
      .execute(async () => {
        throw new NetworkError('connection refused');
      })
      .catch(() => undefined);

    const answers = (await ask(SERVICE)).map((answer) => replicaStatusSchema.parse(answer));

    expect(answers).toHaveLength(2);
    for (const answer of answers) expect(answer).toMatchObject({ service: SERVICE, replica: expect.stringMatching(/:\d+$/), ready: true, reasons: [], outbox: null });
    expect(answers.map((answer) => answer.breakers)).toEqual(expect.arrayContaining([[], [{ dependency: 'card-provider', state: 'open', halfOpenInMs: expect.any(Number) }]]));
    expect(answers.find((answer) => answer.breakers.length)?.breakers[0].halfOpenInMs).toBeGreaterThan(0);
    expect(await ask('status-silent')).toEqual([]);
  });
});
