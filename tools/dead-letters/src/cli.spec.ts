import { Logger } from '@nestjs/common';
import { DeadLetters, DeliveryFailure, NatsConnectionManager } from '@orders/messaging';
import { PrivateNatsServer, startPrivateNatsServer } from '@orders/testing';
import { ExitCode, runCli } from './cli';

describe('the dead-letters CLI against a real JetStream', () => {
  let nats: PrivateNatsServer;
  let seeder: NatsConnectionManager;
  let deadLetters: DeadLetters;
  let sequence = 0;

  const run = async (...argv: string[]): Promise<{ code: ExitCode; out: string; err: string }> => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { out: (text) => out.push(text), err: (text) => err.push(text) }, { NATS_URL: nats.url });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  const seed = (service: string, error: string, history?: DeliveryFailure[]) =>
    deadLetters.record({
      subject: 'order.placed.v1',
      data: new TextEncoder().encode(JSON.stringify({ orderId: `order-of-${service}` })),
      stream: 'ORDER',
      streamSequence: ++sequence,
      service,
      consumer: `${service}-order-placed`,
      error,
      kind: 'exhausted',
      attempts: 8,
      history,
    });

  beforeAll(async () => {
    // As in main.ts: every command connects, and says so.
    Logger.overrideLogger(['error', 'fatal']);
    nats = await startPrivateNatsServer();
    seeder = new NatsConnectionManager({ url: nats.url, serviceName: 'cli-test-seeder' });
    await seeder.connect();
    deadLetters = new DeadLetters(seeder);
  });

  afterAll(async () => {
    await seeder?.close();
    await nats?.dispose();
  });

  it('lists, shows, counts, replays and discards dead letters', async () => {
    const payment = await seed('payment-service', 'card provider kept answering 503', [
      { attempt: 7, failedAt: '2025-11-21T10:20:01.000Z', replica: 'payment-service-a:1', error: 'card provider answered 503' },
      { attempt: 8, failedAt: '2025-11-21T10:20:31.000Z', replica: 'payment-service-b:1', error: 'card provider kept answering 503' },
    ]);
    const shipping = await seed('shipping-service', 'carrier refused the address');

    const list = await run('list');
    expect(list).toMatchObject({ code: 0, err: '' });
    expect(list.out).toMatch(new RegExp(`^${payment} .*payment-service .*order\\.placed\\.v1 .*exhausted .*card provider kept answering 503$`, 'm'));
    expect(list.out).toMatch(new RegExp(`^${shipping} .*shipping-service`, 'm'));
    const filtered = JSON.parse((await run('list', '--service', 'shipping-service', '--json')).out) as { deadLetters: Array<{ id: number }> };
    expect(filtered.deadLetters.map((letter) => letter.id)).toEqual([shipping]);
    expect((await run('list', '--limit', '1')).out).toContain(`More: list --after ${payment}`);

    const shown = await run('show', String(payment));
    expect(shown.code).toBe(0);
    expect(shown.out).toContain('Consumer:   payment-service-order-placed');
    expect(shown.out).toContain('"orderId": "order-of-payment-service"');
    expect(shown.out).toMatch(/^ {2}8 +2025-11-21T10:20:31\.000Z +payment-service-b:1 +card provider kept answering 503$/m);

    const depth = await run('depth');
    expect(depth.out).toMatch(/^payment-service\s+1$/m);
    expect(depth.out).toMatch(/^total\s+2$/m);
    expect(JSON.parse((await run('depth', '--service', 'shipping-service', '--json')).out)).toEqual({ 'shipping-service': 1 });

    const replayed = await run('replay', String(payment));
    expect(replayed).toMatchObject({ code: 0, out: expect.stringMatching(new RegExp(`^Replayed dead letter ${payment} to order\\.placed\\.v1 \\(ORDER #\\d+\\)\\.$`)) });
    expect(await run('discard', String(shipping))).toMatchObject({ code: 0, out: `Discarded dead letter ${shipping}.` });
    expect((await run('list')).out).toBe('No dead letters.');
  });

  it('fails with 1 for a dead letter that does not exist and with 2 for a wrong command line', async () => {
    expect(await run('show', '424242')).toMatchObject({ code: 1, err: 'There is no dead letter 424242' });
    for (const argv of [['show'], ['show', 'abc'], ['list', '--limit', '101'], ['explode'], ['list', '--colour']]) {
      const result = await run(...argv);
      expect({ argv, code: result.code }).toEqual({ argv, code: 2 });
      expect(result.err).toContain('Usage: npm run dlq');
    }
    expect(await run()).toMatchObject({ code: 0, out: expect.stringContaining('Commands:') });
  });
});
