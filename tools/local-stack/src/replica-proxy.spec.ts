import { freePort, ProcessLogs, waitFor } from '@orders/local-processes';
import { once } from 'node:events';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { ReplicaProxy } from './replica-proxy';

/** A stand-in for one replica of an app: it names itself in every answer, and its readiness can be switched. */
interface FakeReplica {
  name: string;
  url: string;
  ready: boolean;
  served: number;
  server: Server;
}

async function fakeReplica(name: string): Promise<FakeReplica> {
  const replica = { name, ready: true, served: 0 } as FakeReplica;
  replica.server = createServer((request, response) => {
    if (request.url === '/health/ready') {
      response.writeHead(replica.ready ? 200 : 503).end();
      return;
    }
    replica.served++;
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      response.writeHead(201, { 'content-type': 'application/json', 'x-replica': name });
      response.end(JSON.stringify({ replica: name, method: request.method, path: request.url, body, idempotencyKey: request.headers['idempotency-key'] }));
    });
  });
  replica.server.listen(0, '127.0.0.1');
  await once(replica.server, 'listening');
  replica.url = `http://127.0.0.1:${(replica.server.address() as AddressInfo).port}`;
  return replica;
}

describe('ReplicaProxy', () => {
  const logs = new ProcessLogs('capture');
  let replicas: FakeReplica[];
  let proxy: ReplicaProxy;
  let proxyUrl: string;

  async function startProxy(probeIntervalMs: number): Promise<void> {
    await proxy?.close();
    proxy = new ReplicaProxy({ app: 'order-service', replicas, logs, probeIntervalMs });
    const port = await freePort();
    await proxy.listen(port);
    proxyUrl = `http://127.0.0.1:${port}`;
    await waitFor(() => replicas.every((replica) => proxy.inRotation(replica.name)), { description: 'every replica in rotation' });
  }

  beforeEach(async () => {
    replicas = await Promise.all(['order-service-1', 'order-service-2', 'order-service-3'].map(fakeReplica));
    await startProxy(20);
  });

  afterEach(async () => {
    await proxy.close();
    await Promise.all(replicas.map((replica) => new Promise((resolve) => replica.server.close(resolve))));
  });

  const inRotation = () =>
    proxy
      .routing()
      .filter((replica) => replica.inRotation)
      .map((replica) => replica.replica);

  it('passes requests and answers through unchanged, spread evenly across the replicas', async () => {
    const answers = [];
    for (let request = 0; request < 6; request++) {
      const response = await fetch(`${proxyUrl}/api/orders?page=${request}`, { method: 'POST', headers: { 'idempotency-key': `key-${request}` }, body: `order ${request}` });
      expect(response.status).toBe(201);
      expect(response.headers.get('x-replica')).toMatch(/^order-service-\d$/);
      answers.push(await response.json());
    }
    expect(answers[0]).toEqual({ replica: expect.any(String), method: 'POST', path: '/api/orders?page=0', body: 'order 0', idempotencyKey: 'key-0' });
    expect(replicas.map((replica) => replica.served)).toEqual([2, 2, 2]);
    expect(proxy.routing().map(({ replica, routed, failed }) => ({ replica, routed, failed }))).toEqual(
      replicas.map((replica) => ({ replica: replica.name, routed: 2, failed: 0 })),
    );
  });

  it('sends no new request to a replica whose readiness probe fails, and takes it back once it passes again', async () => {
    replicas[1].ready = false;
    await waitFor(() => !proxy.inRotation('order-service-2'), { description: 'order-service-2 out of rotation' });
    expect(logs.of('order-service-proxy')).toContainEqual(expect.stringMatching(/order-service-2 leaves the rotation: GET http:\/\/127\.0\.0\.1:\d+\/health\/ready answered 503/));

    for (let request = 0; request < 4; request++) expect((await fetch(`${proxyUrl}/anything`)).status).toBe(201);
    expect(replicas.map((replica) => replica.served)).toEqual([2, 0, 2]);

    replicas[1].ready = true;
    await waitFor(() => proxy.inRotation('order-service-2'), { description: 'order-service-2 back in rotation' });
    expect(inRotation()).toEqual(['order-service-1', 'order-service-2', 'order-service-3']);
  });

  it('takes a replica that is about to stop out of rotation at once, until it is started again and ready', async () => {
    proxy.drain('order-service-3');
    expect(inRotation()).toEqual(['order-service-1', 'order-service-2']);
    for (let request = 0; request < 4; request++) await fetch(`${proxyUrl}/anything`);
    expect(replicas[2].served).toBe(0);

    proxy.resume('order-service-3');
    await waitFor(() => proxy.inRotation('order-service-3'), { description: 'order-service-3 back in rotation' });
  });

  it('answers 503 in the platform’s error shape while no replica is ready', async () => {
    for (const replica of replicas) replica.ready = false;
    await waitFor(() => inRotation().length === 0, { description: 'no replica in rotation' });

    const response = await fetch(`${proxyUrl}/api/v1/orders`, { headers: { 'x-request-id': 'request-1' } });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ error: { code: 'SERVICE_UNAVAILABLE', message: 'No replica of order-service is ready' }, requestId: 'request-1' });
  });

  it('answers 502 and counts the failure when a replica in rotation cannot be reached', async () => {
    // Probes far apart: the replica dies between two of them, so it is still in rotation.
    await startProxy(60_000);
    await new Promise((resolve) => replicas[0].server.close(resolve));
    const statuses = [];
    for (let request = 0; request < 3; request++) statuses.push((await fetch(`${proxyUrl}/anything`)).status);

    expect(statuses.sort()).toEqual([201, 201, 502]);
    expect(proxy.routing().find((replica) => replica.replica === 'order-service-1')).toMatchObject({ routed: 1, failed: 1 });
  });
});
