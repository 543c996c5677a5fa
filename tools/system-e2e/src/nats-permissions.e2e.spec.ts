import { jetstream, jetstreamManager, StreamConfig } from '@nats-io/jetstream';
import { connect, headers, NatsConnection } from '@nats-io/transport-node';
import { InventoryStockAdjusted } from '@orders/contracts';
import { APPS } from '@orders/local-stack';
import { DEAD_LETTER_HEADERS } from '@orders/messaging';
import { waitFor } from '@orders/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { orderOf, platformForSuite } from './support/platform';

const REPOSITORY_ROOT = resolve(__dirname, '../../..');
const AUTHORIZATION_FILE = join(REPOSITORY_ROOT, 'k8s/base/nats/auth.conf');
const STREAMS_DIR = join(REPOSITORY_ROOT, 'k8s/base/nats-streams/streams');

const USERS = [...APPS, 'stream-admin'] as const;
type User = (typeof USERS)[number];

/** The variable auth.conf reads a user's password from, as the NATS pods get it from the user's Secret. */
const passwordVariable = (user: User) => `${user.toUpperCase().replaceAll('-', '_')}_PASSWORD`;
/** nats-server parses a variable's value like a config value: one starting with a digit would read as a number. */
const passwords = Object.fromEntries(USERS.map((user) => [user, `n${randomBytes(24).toString('hex')}`])) as Record<User, string>;
/** What the nats-streams Job logs in as; the launcher too, to see that NATS is up. */
const STREAM_ADMIN = { user: 'stream-admin', pass: passwords['stream-admin'] };

/** A server configured like the cluster's (k8s/base/nats/nats.conf): JetStream, plus the committed auth.conf. */
function serverConfigFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nats-auth-'));
  writeFileSync(join(dir, 'auth.conf'), readFileSync(AUTHORIZATION_FILE));
  writeFileSync(join(dir, 'nats.conf'), 'jetstream: enabled\ninclude auth.conf\n');
  return join(dir, 'nats.conf');
}

/** What the nats-streams Job does, on one node: the committed stream definitions, with one replica. */
async function createStreams(url: string): Promise<void> {
  const admin = await connect({ servers: url, ...STREAM_ADMIN });
  try {
    const jsm = await jetstreamManager(admin);
    for (const file of readdirSync(STREAMS_DIR)) {
      const stream = JSON.parse(readFileSync(join(STREAMS_DIR, file), 'utf8')) as StreamConfig;
      await jsm.streams.add({ ...stream, num_replicas: 1 });
    }
  } finally {
    await admin.close();
  }
}

/**
 * The NATS users and permissions of k8s/base/nats/auth.conf, exercised by the real apps: each
 * app logs in as itself, streams exist only because the stream-admin created them, and a whole
 * saga, its compensations, the BFF queries and the dead-letter console work without a single
 * permission violation, while a service stepping outside its subjects is refused.
 */
describe('NATS users and permissions of the cluster, with the real apps', () => {
  const platform = platformForSuite({
    nats: {
      configFile: serverConfigFile(),
      environment: Object.fromEntries(USERS.map((user) => [passwordVariable(user), passwords[user]])),
      probeCredentials: STREAM_ADMIN,
    },
    environment: { NATS_USER: STREAM_ADMIN.user, NATS_PASSWORD: STREAM_ADMIN.pass },
    beforeApps: (nats) => createStreams(nats.url),
    env: Object.fromEntries(APPS.map((app) => [app, { NATS_USER: app, NATS_PASSWORD: passwords[app], NATS_STREAM_PROVISIONING: 'external' }])),
  });

  const violations = () => platform.nats.logs().filter((line) => /violation/i.test(line));

  async function as(user: User): Promise<NatsConnection> {
    return connect({ servers: platform.nats.url, user, pass: passwords[user], maxReconnectAttempts: 0 });
  }

  it('runs the saga, a decline, a customer cancel, the BFF pages, the dead-letter console and its audit trail, a stock count and the services’ status with no permission violation', async () => {
    const token = await platform.login('nats-permissions');
    const ops = await platform.login('nats-permissions-ops', ['ops']);

    const confirmedId = await platform.place(token, orderOf([{ sku: 'SKU-MUG', quantity: 1 }]));
    expect((await platform.settled(token, confirmedId)).status).toBe('CONFIRMED');
    const declinedId = await platform.place(token, orderOf([{ sku: 'SKU-MUG', quantity: 1 }], { paymentToken: 'tok_declined' }));
    expect((await platform.settled(token, declinedId)).status).toBe('CANCELLED');

    const cancel = await platform.api(`/api/v1/orders/${confirmedId}/cancel`, { method: 'POST', token, headers: { 'idempotency-key': randomUUID() } });
    expect(cancel.status).toBe(202);
    await platform.orderWhere(token, confirmedId, (order) => order.status === 'CANCELLED', 'the confirmed order cancelled by its customer');
    expect((await platform.refundedLedger(confirmedId)).refunds).toEqual([expect.objectContaining({ amount: expect.any(Number) })]);

    const page = await platform.api<{ payment: unknown; shipment: unknown; degraded: string[] }>(`/api/web/v1/orders/${confirmedId}`, { token });
    expect(page.status).toBe(200);
    expect(page.body.degraded).toEqual([]);
    expect(page.body.payment).not.toBeNull();
    expect(page.body.shipment).not.toBeNull();
    const mobile = await platform.api<{ items: Array<{ id: string }> }>('/api/mobile/v1/orders', { token });
    expect(mobile.status).toBe(200);
    expect(mobile.body.items.map((item) => item.id).sort()).toEqual([confirmedId, declinedId].sort());
    expect(await platform.deadLetters(ops)).toEqual([]);
    // A dead letter as payment-service stores one; the gateway audits its discard in the AUDIT stream and reads it back.
    const payment = await as('payment-service');
    try {
      const failure = headers();
      failure.set(DEAD_LETTER_HEADERS.subject, 'order.placed.v1');
      failure.set(DEAD_LETTER_HEADERS.error, 'stored by the permissions test');
      const { seq } = await jetstream(payment).publish('dlq.payment-service.payment-service-order-placed', '{}', { headers: failure, msgID: randomUUID() });
      expect((await platform.api(`/api/v1/admin/dead-letters/${seq}/discard`, { method: 'POST', token: ops })).status).toBe(200);
    } finally {
      await payment.close();
    }
    const audit = await platform.api<{ entries: Array<{ action: string; outcome: string }> }>('/api/v1/admin/audit?action=discard', { token: ops });
    expect(audit.body.entries).toEqual([expect.objectContaining({ action: 'discard', outcome: 'succeeded' })]);
    const stockCount = await platform.api('/api/v1/admin/inventory/SKU-CAP', { method: 'PUT', token: ops, body: JSON.stringify({ available: 700 }) });
    expect(stockCount.status).toBe(200);
    const admin = await as('stream-admin');
    try {
      const streams = await jetstreamManager(admin);
      // inventory-service's relay publishes the adjustment after the answer: wait until it is in the stream.
      const adjusted = await waitFor(() => streams.streams.getMessage('INVENTORY', { last_by_subj: InventoryStockAdjusted.subject }).catch(() => null), {
        timeoutMs: 15_000,
        description: 'inventory.stock-adjusted in the INVENTORY stream',
      });
      expect(adjusted.json()).toMatchObject({ data: { sku: 'SKU-CAP', available: 700 } });
    } finally {
      await admin.close();
    }
    // Readiness details and metrics read consumer and stream state with each app's own user.
    for (const app of APPS) {
      expect((await fetch(`${platform.stack.urls[app]}/health/ready`)).status).toBe(200);
      expect((await fetch(`${platform.stack.urls[app]}/metrics`)).status).toBe(200);
    }
    // Every replica answers the operators' status request on its own subject, which the gateway asks.
    const status = await platform.api<{ services: Array<{ name: string; noAnswer: string | null; replicas: Array<{ ready: boolean }> }> }>('/api/v1/admin/services', {
      token: ops,
    });
    expect(status.status).toBe(200);
    expect(status.body.services.map(({ name, noAnswer, replicas }) => ({ name, noAnswer, answered: replicas.length > 0 && replicas.every((replica) => replica.ready) }))).toEqual(
      ['order-service', 'inventory-service', 'payment-service', 'shipping-service'].map((name) => ({ name, noAnswer: null, answered: true })),
    );

    expect(violations()).toEqual([]);
  });

  it('refuses a service publishing another context’s events or reading its stream, and an app creating streams', async () => {
    const inventory = await as('inventory-service');
    try {
      const forged = inventory.request('payment.captured.v1', '{}', { timeout: 2_000 });
      await expect(forged).rejects.toThrow(/permission/i);
      const jsm = await jetstreamManager(inventory);
      // inventory-service reacts to order, payment and shipping events, never to its own stream's consumers.
      await expect(jsm.consumers.add('INVENTORY', { durable_name: 'inventory-service-snooping', filter_subject: 'inventory.>' })).rejects.toThrow(/permission/i);
      await expect(jsm.streams.add({ name: 'ROGUE', subjects: ['rogue.>'] })).rejects.toThrow(/permission/i);
      // Only the gateway writes and reads the audit trail.
      await expect(inventory.request('audit.dead-letters.discard.forged', '{}', { timeout: 2_000 })).rejects.toThrow(/permission/i);
      await expect(jsm.streams.getMessage('AUDIT', { seq: 1 })).rejects.toThrow(/permission/i);
    } finally {
      await inventory.close();
    }

    const mobile = await as('mobile-bff');
    try {
      await expect(mobile.request('query.payment.get-by-order', JSON.stringify({ orderId: randomUUID() }), { timeout: 2_000 })).rejects.toThrow(/permission/i);
    } finally {
      await mobile.close();
    }

    await expect(connect({ servers: platform.nats.url, user: 'order-service', pass: 'not-the-password', maxReconnectAttempts: 0 })).rejects.toThrow(/authorization/i);
  });

  it('lets only the backends for frontends ask the customer queries, and the gateway only the catalogue and the operators’ stock command', async () => {
    const customerQueries = ['query.order.get-order', 'query.order.list-orders', 'query.payment.get-by-order', 'query.shipping.get-by-order', 'query.inventory.list-products'];
    const setAvailable = 'query.inventory.set-available';
    const askers: Record<User, string[]> = {
      'web-bff': customerQueries,
      'mobile-bff': ['query.order.get-order', 'query.order.list-orders'],
      gateway: ['query.inventory.list-products', setAvailable],
      'order-service': [],
      'inventory-service': [],
      'payment-service': [],
      'shipping-service': [],
      'stream-admin': [],
    };
    for (const user of USERS) {
      const connection = await as(user);
      try {
        for (const subject of [...customerQueries, setAvailable]) {
          // Without a caller token a permitted asker is answered UNAUTHENTICATED; anyone else is stopped by the server.
          const outcome = await connection.request(subject, '{}', { timeout: 2_000 }).then(
            () => 'answered',
            (error: Error) => (/permission/i.test(error.message) ? 'refused' : error.message),
          );
          expect({ user, subject, outcome }).toEqual({ user, subject, outcome: askers[user].includes(subject) ? 'answered' : 'refused' });
        }
      } finally {
        await connection.close();
      }
    }
  });

  it('lets only the gateway ask the services for their status', async () => {
    for (const user of USERS) {
      const connection = await as(user);
      try {
        const outcome = await connection.request('status.payment-service', '', { timeout: 2_000 }).then(
          () => 'answered',
          (error: Error) => (/permission/i.test(error.message) ? 'refused' : error.message),
        );
        expect({ user, outcome }).toEqual({ user, outcome: user === 'gateway' ? 'answered' : 'refused' });
      } finally {
        await connection.close();
      }
    }
  });
});
