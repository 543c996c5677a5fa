import { INestApplication } from '@nestjs/common';
import { LocalCallerTokens } from '@orders/caller-tokens';
import { MessagingModule } from '@orders/messaging';
import { PrivateNatsServer, startPrivateNatsServer } from '@orders/testing';
import { createApp } from './bootstrap';

describe('createApp', () => {
  let nats: PrivateNatsServer;
  const apps: INestApplication[] = [];

  beforeAll(async () => {
    nats = await startPrivateNatsServer();
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await nats?.dispose();
  });

  async function start(name: string): Promise<string> {
    const app = await createApp(MessagingModule.forRoot({ serviceName: name, natsUrl: nats.url }), {
      name,
      port: 0,
      host: '127.0.0.1',
      consumesMessages: false,
      callers: new LocalCallerTokens().verifier,
    });
    apps.push(app);
    await app.listen(0, '127.0.0.1');
    return app.getUrl();
  }

  it('gives every app GET /metrics, without credentials, labelled with the app only, even with several apps in one process', async () => {
    const [first, second] = [await start('runtime-first'), await start('runtime-second')];

    const response = await fetch(`${first}/metrics`);
    const body = await response.text();
    expect(response.status).toBe(200);
    expect(body).toMatch(/^orders_dead_letters\{service="runtime-first"\} 0$/m);
    expect(body).toMatch(/^nodejs_heap_size_used_bytes\{service="runtime-first"\} \d+$/m);
    expect(body).not.toContain('runtime-second');
    expect(await (await fetch(`${second}/metrics`)).text()).toMatch(/^orders_dead_letters\{service="runtime-second"\} 0$/m);
  });
});
