import { createServer, Server } from 'node:http';
import { HttpGate, startHttpGate } from './index';

/** A target API that records what reached it and echoes it back. */
function echoServer(received: string[]): Server {
  return createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push(`${request.method} ${request.url}`);
      response.writeHead(201, { 'content-type': 'application/json', 'x-echo': request.headers['idempotency-key'] ?? '' });
      response.end(JSON.stringify({ method: request.method, url: request.url, body }));
    });
  });
}

describe('startHttpGate', () => {
  const received: string[] = [];
  let target: Server;
  let gate: HttpGate;

  beforeAll(async () => {
    target = echoServer(received);
    gate = await startHttpGate(target);
  });

  afterAll(async () => {
    await gate?.close();
  });

  beforeEach(() => {
    received.length = 0;
  });

  const post = (path: string) => fetch(`${gate.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'key-1' }, body: '{"amount":5}' });

  it('starts the API server it fronts', async () => {
    expect(target.listening).toBe(true);
    expect((await fetch(`${gate.targetUrl}/direct`)).status).toBe(201);
    expect(received).toEqual(['GET /direct']);
  });

  it('forwards method, path, query, body and headers both ways', async () => {
    const response = await post('/v1/things?reference=r1');
    expect(response.status).toBe(201);
    expect(response.headers.get('x-echo')).toBe('key-1');
    expect(await response.json()).toEqual({ method: 'POST', url: '/v1/things?reference=r1', body: '{"amount":5}' });
  });

  it('holds a matching request before the target sees it, until passed', async () => {
    gate.hold({ method: 'POST', path: /^\/v1\/held$/ });
    const answer = post('/v1/held');
    await gate.holding();
    // Other requests go through meanwhile.
    expect((await post('/v1/other')).status).toBe(201);
    expect(received).toEqual(['POST /v1/other']);

    gate.pass();
    expect((await answer).status).toBe(201);
    expect(received).toEqual(['POST /v1/other', 'POST /v1/held']);
  });

  it('holds the answer of a matching request the target already handled', async () => {
    gate.hold({ method: 'POST', path: /^\/v1\/held$/ }, 'response');
    let answered = false;
    const answer = post('/v1/held').then((response) => {
      answered = true;
      return response;
    });
    await gate.holding();
    expect(received).toEqual(['POST /v1/held']);
    expect(answered).toBe(false);

    gate.pass();
    expect((await answer).status).toBe(201);
  });

  it('keeps refusing after the held requests are released', async () => {
    gate.hold({ method: 'POST', path: /^\/v1\/held$/ });
    gate.refuse({ method: 'POST', path: /^\/v1\/refused$/ }, 503);
    const answer = post('/v1/held');
    await gate.holding();

    gate.release();
    expect((await answer).status).toBe(201);
    expect((await post('/v1/refused')).status).toBe(503);
    expect(received).toEqual(['POST /v1/held']);
    gate.pass();
  });

  it('refuses matching requests without forwarding them, until passed', async () => {
    gate.refuse({ method: 'POST', path: /^\/v1\/refused$/ }, 503);
    expect((await post('/v1/refused')).status).toBe(503);
    expect(received).toEqual([]);

    gate.pass();
    expect((await post('/v1/refused')).status).toBe(201);
    expect(received).toEqual(['POST /v1/refused']);
  });

  it('stops the API server it started when it closes', async () => {
    const server = echoServer([]);
    const other = await startHttpGate(server);
    await other.close();
    expect(server.listening).toBe(false);
  });
});
