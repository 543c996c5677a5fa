import { Body, Controller, INestApplication, Module, Post } from '@nestjs/common';
import { LocalCallerTokens } from '@orders/caller-tokens';
import { HEADERS } from '@orders/contracts';
import { MessagingModule } from '@orders/messaging';
import { PrivateNatsServer, rawHttpRequest, startPrivateNatsServer } from '@orders/testing';
import { BootstrapOptions, createApp } from './bootstrap';

@Controller('echo')
class EchoController {
  @Post()
  echo(@Body() body: unknown): unknown {
    return body;
  }
}

describe('requests an app cannot read', () => {
  let nats: PrivateNatsServer;
  let url: string;
  let small: string;
  const apps: INestApplication[] = [];
  const callers = new LocalCallerTokens();

  async function start(name: string, configureHttp?: BootstrapOptions['configureHttp']): Promise<string> {
    @Module({ imports: [MessagingModule.forRoot({ serviceName: name, natsUrl: nats.url })], controllers: [EchoController] })
    class EchoModule {}
    const app = await createApp(EchoModule, { name, port: 0, host: '127.0.0.1', consumesMessages: false, configureHttp, callers: callers.verifier });
    apps.push(app);
    await app.listen(0, '127.0.0.1');
    return (await app.getUrl()).replace('[::1]', '127.0.0.1');
  }

  beforeAll(async () => {
    process.env.LOG_LEVEL ??= 'fatal';
    nats = await startPrivateNatsServer();
    url = await start('unreadable-default');
    // An edge app's own body parser replaces the default one.
    small = await start('unreadable-small', (app) => app.useBodyParser('json', { limit: 64 }));
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await nats?.dispose();
  });

  const post = (base: string, body: string, contentType = 'application/json') =>
    fetch(`${base}/echo`, { method: 'POST', headers: { 'content-type': contentType, [HEADERS.requestId]: 'req-1', authorization: callers.authorizationFor('alice') }, body });

  it('still reads a well-formed body', async () => {
    const response = await post(url, '{"a":1}');
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ a: 1 });
  });

  it.each([
    ['broken JSON', '{"a":', 'not a valid JSON object or array'],
    ['a bare JSON string', '"a"', 'not a valid JSON object or array'],
  ])('answers %s with 400 MALFORMED_JSON in the error shape', async (_case, body, message) => {
    const response = await post(url, body);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: 'MALFORMED_JSON', message: expect.stringContaining(message) }, requestId: 'req-1' });
  });

  it('answers a body over the limit with 413 PAYLOAD_TOO_LARGE, naming the limit', async () => {
    const response = await post(small, JSON.stringify({ text: 'x'.repeat(100) }));
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('64 bytes') }, requestId: 'req-1' });
    expect((await post(small, '{"a":1}')).status).toBe(201);
  });

  it('answers a body in another charset with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const response = await post(url, '{"a":1}', 'application/json; charset=latin1');
    expect(response.status).toBe(415);
    expect(await response.json()).toEqual({ error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.any(String) }, requestId: 'req-1' });
  });

  it.each([
    ['a bare CR inside a header value', 'GET /health HTTP/1.1\r\nHost: x\r\nX-Note: a\rb\r\nConnection: close\r\n\r\n'],
    ['a NUL byte in a header value', 'GET /health HTTP/1.1\r\nHost: x\r\nX-Note: a\0b\r\nConnection: close\r\n\r\n'],
    ['both Content-Length and Transfer-Encoding', 'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n'],
    ['a header without a name', 'GET /health HTTP/1.1\r\nHost: x\r\n: value\r\nConnection: close\r\n\r\n'],
  ])('answers a request with %s with 400 MALFORMED_REQUEST in the error shape', async (_case, request) => {
    const response = await rawHttpRequest(url, request);
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toContain('application/json');
    const body = JSON.parse(response.body) as { requestId: string };
    expect(body).toEqual({ error: { code: 'MALFORMED_REQUEST', message: expect.any(String) }, requestId: expect.any(String) });
    expect(response.headers[HEADERS.requestId]).toBe(body.requestId);
  });

  it('answers headers over the size limit with 431', async () => {
    const response = await rawHttpRequest(url, `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'x'.repeat(20_000)}\r\nConnection: close\r\n\r\n`);
    expect(response.status).toBe(431);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'REQUEST_HEADER_FIELDS_TOO_LARGE' } });
  });
});
