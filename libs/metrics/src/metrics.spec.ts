import { INestApplication, LoggerService, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DeadLetters, MessagingModule } from '@orders/messaging';
import { PrivateNatsServer, startPrivateNatsServer, waitFor } from '@orders/testing';
import { MetricsModule } from './metrics.module';

const WITH_DEAD_LETTER = 'metrics-with-dead-letter';
const WITHOUT_DEAD_LETTERS = 'metrics-without-dead-letters';

const depthSample = (service: string, depth: number) => new RegExp(`^orders_dead_letters\\{service="${service}"\\} ${depth}$`, 'm');
const anyDepthSample = /^orders_dead_letters[{ ]/m;

describe('GET /metrics', () => {
  let nats: PrivateNatsServer;
  const warnings: string[] = [];
  const logger: LoggerService = { log: () => undefined, error: () => undefined, warn: (message: unknown) => warnings.push(String(message)) };
  const apps: Record<string, INestApplication> = {};

  /** An app as the services have it: MessagingModule's dead letters and its own metrics. */
  async function startApp(service: string): Promise<void> {
    @Module({ imports: [MessagingModule.forRoot({ serviceName: service, natsUrl: nats.url }), MetricsModule.forRoot({ service })] })
    class MetricsTestModule {}
    const app = (await Test.createTestingModule({ imports: [MetricsTestModule] }).compile()).createNestApplication({ logger });
    await app.listen(0, '127.0.0.1');
    apps[service] = app;
  }

  async function scrape(service: string): Promise<{ status: number; contentType: string | null; body: string }> {
    const response = await fetch(`${await apps[service].getUrl()}/metrics`);
    return { status: response.status, contentType: response.headers.get('content-type'), body: await response.text() };
  }

  beforeAll(async () => {
    nats = await startPrivateNatsServer();
    await startApp(WITH_DEAD_LETTER);
    await startApp(WITHOUT_DEAD_LETTERS);
  });

  afterAll(async () => {
    for (const app of Object.values(apps)) await app.close();
    await nats?.dispose();
  });

  it("serves Node's default metrics in the Prometheus text format, each app labelled with its own service only", async () => {
    const metrics = await scrape(WITH_DEAD_LETTER);

    expect(metrics.status).toBe(200);
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4; charset=utf-8$/);
    expect(metrics.body).toMatch(new RegExp(`^process_cpu_user_seconds_total\\{service="${WITH_DEAD_LETTER}"\\} [0-9.e-]+$`, 'm'));
    expect(metrics.body).toMatch(new RegExp(`^nodejs_heap_size_used_bytes\\{service="${WITH_DEAD_LETTER}"\\} \\d+$`, 'm'));
    expect(metrics.body).not.toContain(`service="${WITHOUT_DEAD_LETTERS}"`);
    expect((await scrape(WITHOUT_DEAD_LETTERS)).body).not.toContain(`service="${WITH_DEAD_LETTER}"`);
  });

  it("counts the service's own dead letters at every scrape", async () => {
    expect((await scrape(WITH_DEAD_LETTER)).body).toMatch(depthSample(WITH_DEAD_LETTER, 0));

    const poison = {
      subject: 'order.placed.v1',
      data: new TextEncoder().encode('{'),
      stream: 'ORDER',
      kind: 'permanent',
      attempts: 1,
      error: 'Message body is not valid JSON',
    } as const;
    const deadLetters = apps[WITH_DEAD_LETTER].get(DeadLetters);
    await deadLetters.record({ ...poison, streamSequence: 1, service: WITH_DEAD_LETTER, consumer: `${WITH_DEAD_LETTER}-order-placed` });
    await deadLetters.record({ ...poison, streamSequence: 1, service: 'metrics-elsewhere', consumer: 'metrics-elsewhere-order-placed' });

    expect((await scrape(WITH_DEAD_LETTER)).body).toMatch(depthSample(WITH_DEAD_LETTER, 1));
    expect((await scrape(WITHOUT_DEAD_LETTERS)).body).toMatch(depthSample(WITHOUT_DEAD_LETTERS, 0));
  });

  it('leaves the depth out of a scrape, with a warning, while it cannot be counted, and still serves everything else', async () => {
    await nats.stop();
    const metrics = await scrape(WITH_DEAD_LETTER);

    expect(metrics.status).toBe(200);
    expect(metrics.body).not.toMatch(anyDepthSample);
    expect(metrics.body).toMatch(new RegExp(`^nodejs_heap_size_used_bytes\\{service="${WITH_DEAD_LETTER}"\\} \\d+$`, 'm'));
    expect(warnings).toContainEqual(expect.stringContaining(`Dead letters of ${WITH_DEAD_LETTER} left out of this scrape`));

    await nats.start();
    await waitFor(async () => depthSample(WITH_DEAD_LETTER, 1).test((await scrape(WITH_DEAD_LETTER)).body), { timeoutMs: 20_000, description: 'the depth to be counted again' });
  });
});
