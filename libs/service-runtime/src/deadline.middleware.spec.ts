import { Controller, Get, INestApplication, Module, Req } from '@nestjs/common';
import { LocalCallerTokens } from '@orders/caller-tokens';
import { HEADERS } from '@orders/contracts';
import { MessagingModule } from '@orders/messaging';
import { DeadlineExceeded } from '@orders/request-context';
import { PrivateNatsServer, startPrivateNatsServer } from '@orders/testing';
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';
import { createApp } from './bootstrap';
import { deadlineOf } from './deadline.middleware';

const MAX_MS = 2_000;
process.env.REQUEST_DEADLINE_MS = String(MAX_MS);
process.env.LOG_LEVEL ??= 'fatal';

const handled: string[] = [];

@Controller('probe')
class ProbeController {
  @Get()
  deadline(@Req() request: Request): { deadline: string } {
    handled.push(String(request.headers[HEADERS.requestId]));
    return { deadline: deadlineOf(request).toHeader() };
  }

  @Get('late')
  late(): never {
    throw new DeadlineExceeded('inventory-service did not answer within the 12 ms left');
  }
}

describe('request deadlines over HTTP', () => {
  let nats: PrivateNatsServer;
  const apps: INestApplication[] = [];
  let service: string;
  let edge: string;

  const callers = new LocalCallerTokens();

  async function start(options: { edge: boolean }): Promise<string> {
    const name = `deadline-test-${randomUUID()}`;
    @Module({ imports: [MessagingModule.forRoot({ serviceName: name, natsUrl: nats.url })], controllers: [ProbeController] })
    class ProbeModule {}
    const common = { name, port: 0, host: '127.0.0.1', consumesMessages: false };
    const app = await createApp(ProbeModule, options.edge ? { ...common, edge: true } : { ...common, callers: callers.verifier });
    apps.push(app);
    await app.listen(0, '127.0.0.1');
    return app.getUrl();
  }

  beforeAll(async () => {
    nats = await startPrivateNatsServer();
    service = await start({ edge: false });
    edge = await start({ edge: true });
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await nats?.dispose();
  });

  async function probe(url: string, deadline?: string): Promise<{ status: number; body: Record<string, unknown>; requestId: string; sentAt: number }> {
    const requestId = randomUUID();
    const headers: Record<string, string> = { [HEADERS.requestId]: requestId, authorization: callers.authorizationFor('alice') };
    if (deadline !== undefined) headers[HEADERS.deadline] = deadline;
    const sentAt = Date.now();
    const response = await fetch(`${url}/probe`, { headers });
    return { status: response.status, body: (await response.json()) as Record<string, unknown>, requestId, sentAt };
  }

  it('keeps the deadline the caller sent when it is within the app’s own maximum', async () => {
    const deadline = String(Date.now() + 1_500);
    expect((await probe(service, deadline)).body).toEqual({ deadline });
  });

  it.each([
    ['a deadline beyond its own maximum', () => String(Date.now() + 60_000)],
    ['no deadline', () => undefined],
    ['an unreadable deadline', () => 'tomorrow'],
  ])('gives a request with %s its own maximum', async (_case, deadline) => {
    const { body, sentAt } = await probe(service, deadline());
    const settled = Number(body.deadline);
    expect(settled).toBeGreaterThanOrEqual(sentAt + MAX_MS);
    expect(settled).toBeLessThanOrEqual(Date.now() + MAX_MS);
  });

  it('answers a request whose deadline passed before it arrived with 504 DEADLINE_EXCEEDED, without handling it', async () => {
    const { status, body, requestId } = await probe(service, String(Date.now() - 250));

    expect(status).toBe(504);
    expect(body).toEqual({ error: { code: 'DEADLINE_EXCEEDED', message: expect.stringMatching(/deadline passed \d+ ms before it arrived/) }, requestId });
    expect(handled).not.toContain(requestId);
  });

  it('at the edge, ignores a deadline the client sends and starts the request’s own', async () => {
    const { status, body, requestId, sentAt } = await probe(edge, String(Date.now() - 250));

    expect(status).toBe(200);
    expect(Number(body.deadline)).toBeGreaterThanOrEqual(sentAt + MAX_MS);
    expect(handled).toContain(requestId);
  });

  it('answers DeadlineExceeded thrown while handling with 504 DEADLINE_EXCEEDED, without naming what was too slow', async () => {
    const requestId = randomUUID();
    const response = await fetch(`${service}/probe/late`, { headers: { [HEADERS.requestId]: requestId, authorization: callers.authorizationFor('alice') } });

    expect(response.status).toBe(504);
    expect(await response.json()).toEqual({ error: { code: 'DEADLINE_EXCEEDED', message: 'The request could not be answered before its deadline' }, requestId });
  });
});
