import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { STREAMS } from '@orders/contracts';
import { AppName, APPS } from '@orders/local-stack';
import { waitFor } from '@orders/testing';
import { randomUUID } from 'node:crypto';
import { orderOf, platformForSuite } from './support/platform';

const ORDERS_PER_ROUND = 6;

/**
 * The topology users deploy: two replicas of every app, each app reached through one address
 * that honours readiness (the local stand-in for a Kubernetes Service), and a three-node
 * JetStream cluster keeping three copies of every stream.
 */
describe('the saga on two replicas of every app and a three-node NATS cluster', () => {
  const platform = platformForSuite({ topology: { replicas: 2, natsCluster: 3 } });

  async function streamReplicas(): Promise<Record<string, { replicas: number; leader?: string }>> {
    const client = await connect({ servers: platform.stack.natsUrl.split(',') });
    try {
      const jsm = await jetstreamManager(client);
      const streams: Record<string, { replicas: number; leader?: string }> = {};
      for (const { name } of STREAMS) {
        const info = await jsm.streams.info(name);
        streams[name] = { replicas: info.config.num_replicas, leader: info.cluster?.leader };
      }
      return streams;
    } finally {
      await client.close();
    }
  }

  /**
   * Places an order as a client following the API's contract does: a 503 (while the replicas that were
   * connected to a killed NATS node reconnect, none may be ready) is retried with the same Idempotency-Key.
   */
  async function place(token: string): Promise<string> {
    const key = randomUUID();
    return waitFor(
      async () => {
        const placed = await platform.placeOrder(token, orderOf([{ sku: 'SKU-MUG', quantity: 1 }]), key);
        if (placed.status === 202) return placed.body.orderId;
        if (placed.status === 503) return undefined;
        throw new Error(`Placing an order answered ${placed.status}: ${JSON.stringify(placed.body)}`);
      },
      { timeoutMs: 60_000, intervalMs: 1_000, description: 'an order to be accepted' },
    );
  }

  /** Places a round of orders through the gateway and waits for each to be CONFIRMED. */
  async function placeConfirmedOrders(token: string): Promise<void> {
    const orderIds: string[] = [];
    for (let order = 0; order < ORDERS_PER_ROUND; order++) orderIds.push(await place(token));
    const settled = await Promise.all(orderIds.map((orderId) => platform.settled(token, orderId, 120_000)));
    expect(settled.map((order) => order.status)).toEqual(orderIds.map(() => 'CONFIRMED'));
  }

  const routed = (replica: string) => platform.stack.routing('order-service').find((routing) => routing.replica === replica)!.routed;

  it('runs every app twice on ports of their own, on a cluster whose nodes NATS_URL lists, with streams of three replicas', async () => {
    expect(platform.stack.natsNodes.map((node) => node.name)).toEqual(['nats-1', 'nats-2', 'nats-3']);
    expect(platform.stack.natsUrl).toBe(platform.stack.natsNodes.map((node) => node.url).join(','));
    for (const app of APPS) {
      const replicas = platform.stack.replicas[app];
      expect(replicas.map((replica) => replica.name)).toEqual([`${app}-1`, `${app}-2`]);
      expect(new Set([platform.stack.urls[app], ...replicas.map((replica) => replica.url)]).size).toBe(3);
    }
    for (const stream of Object.values(await streamReplicas())) expect(stream.replicas).toBe(3);
  });

  it("shows operators both replicas of every service, each answering the gateway's status request for itself", async () => {
    const ops = await platform.login('replicated-ops', ['ops']);
    const status = await platform.api<{ services: Array<{ name: AppName; replicas: Array<{ replica: string; ready: boolean }> }> }>('/api/v1/admin/services', { token: ops });
    expect(status.status).toBe(200);
    for (const { name, replicas } of status.body.services) {
      const pids = [1, 2].map((replica) => platform.stack.pid(`${name}-${replica}`) ?? 0).sort((a, b) => a - b);
      const answered = replicas.map(({ replica, ready }) => ({ pid: Number(replica.split(':').at(-1)), ready })).sort((a, b) => a.pid - b.pid);
      expect({ name, answered }).toEqual({ name, answered: pids.map((pid) => ({ pid, ready: true })) });
    }
  });

  it('confirms orders placed through the gateway, whose requests the proxy spreads over both order-service replicas', async () => {
    await placeConfirmedOrders(await platform.login('replicated-alice'));

    const routing = platform.stack.routing('order-service');
    expect(routing.map(({ replica, inRotation, failed }) => ({ replica, inRotation, failed }))).toEqual([
      { replica: 'order-service-1', inRotation: true, failed: 0 },
      { replica: 'order-service-2', inRotation: true, failed: 0 },
    ]);
    for (const replica of routing) expect(replica.routed).toBeGreaterThan(0);
  });

  it('keeps confirming orders once an order-service replica is stopped and the NATS node leading the ORDER stream is killed', async () => {
    const token = await platform.login('replicated-bob');
    const routedBeforeTheStop = routed('order-service-2');
    await platform.stack.stopProcess('order-service-2');
    expect(platform.stack.pid('order-service-2')).toBeUndefined();
    const orderStreamLeader = (await streamReplicas()).ORDER.leader;
    const victim = platform.stack.natsNodes.find((node) => node.name === orderStreamLeader)!;
    await victim.kill();

    await placeConfirmedOrders(token);

    expect(platform.stack.logs('order-service-proxy')).toContain('order-service-2 leaves the rotation: stopping');
    const routing = platform.stack.routing('order-service');
    expect(routing.map(({ replica, inRotation, routed, failed }) => ({ replica, inRotation, routed, failed }))).toEqual([
      { replica: 'order-service-1', inRotation: true, routed: expect.any(Number), failed: 0 },
      { replica: 'order-service-2', inRotation: false, routed: routedBeforeTheStop, failed: 0 },
    ]);
    for (const stream of Object.values(await streamReplicas())) expect(stream.leader).not.toBe(victim.name);
  });
});
