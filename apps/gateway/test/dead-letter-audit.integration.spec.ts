import { INestApplication } from '@nestjs/common';
import { jetstreamManager } from '@nats-io/jetstream';
import { HEADERS, OrderCancelled } from '@orders/contracts';
import { AUDIT_STREAM, auditStreamSettings, DeadLetters, ensureStreams, NatsConnectionManager } from '@orders/messaging';
import { PrivateNatsServer, startPrivateNatsServer } from '@orders/testing';
import { connect } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { AuditTrail, NewAuditEntry } from '../src/application/audit-trail';
import { accessToken, startGateway } from './gateway-under-test';

process.env.LOG_LEVEL ??= 'fatal';

const ADMIN = '/api/v1/admin/dead-letters';
const AUDIT = '/api/v1/admin/audit';

interface AuditEntry {
  id: number;
  actionId: string;
  action: string;
  outcome: string;
  actor: { subject: string; roles: string[] };
  deadLetters: Array<{ id: number; subject: string; consumer: string; orderId: string | null }>;
  changes?: Array<{ path: string; before?: unknown; after?: unknown }>;
  failed?: Array<{ id: number; problem: string }>;
}

describe('audited dead-letter actions: audit trail, edit-and-replay and bulk actions', () => {
  let nats: PrivateNatsServer;
  let gateway: INestApplication;
  let url: string;
  let deadLetters: DeadLetters;
  const tokens = { ops: accessToken('olivia', ['ops']), editor: accessToken('eddie', ['ops', 'ops-editor']), customer: accessToken('carl') };

  const call = async <T>(path: string, options: { method?: string; as?: keyof typeof tokens; body?: unknown } = {}) => {
    const headers: Record<string, string> = { [HEADERS.requestId]: randomUUID(), authorization: `Bearer ${tokens[options.as ?? 'ops']}` };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${url}${path}`, { method: options.method ?? 'GET', headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    return { status: response.status, body: (await response.json()) as T };
  };
  const auditOf = async (query: string) => (await call<{ entries: AuditEntry[]; nextBefore: number | null }>(`${AUDIT}?${query}`)).body;

  let seeded = 0;
  const seed = async (consumer = 'payment-service-order-cancelled', error = 'card provider kept answering 503') => {
    const orderId = randomUUID();
    const event = OrderCancelled.create({ orderId, reason: 'CUSTOMER_CANCELLED' }, { correlationId: orderId });
    const id = await deadLetters.record({
      subject: OrderCancelled.subject,
      data: new TextEncoder().encode(JSON.stringify(event)),
      stream: 'ORDER',
      streamSequence: ++seeded,
      service: 'payment-service',
      consumer,
      error,
      kind: 'exhausted',
      attempts: 8,
    });
    return { id, event, orderId };
  };

  beforeAll(async () => {
    nats = await startPrivateNatsServer();
    ({ app: gateway, url } = await startGateway(nats.url));
    deadLetters = gateway.get(DeadLetters);
  }, 30_000);

  afterAll(async () => {
    await gateway?.close();
    await nats?.dispose();
  });

  it('audits a replay and a discard with who, what, which dead letter and the outcome, newest first', async () => {
    const replayed = await seed();
    const discarded = await seed();
    expect((await call(`${ADMIN}/${replayed.id}/replay`, { method: 'POST' })).status).toBe(200);
    expect((await call(`${ADMIN}/${discarded.id}/discard`, { method: 'POST' })).status).toBe(200);

    const [discard, replay] = (await auditOf('actor=olivia')).entries;
    expect(discard).toMatchObject({
      action: 'discard',
      outcome: 'succeeded',
      actor: { subject: 'olivia', roles: ['ops'] },
      deadLetters: [{ id: discarded.id, subject: 'order.cancelled.v1', service: 'payment-service', consumer: 'payment-service-order-cancelled', orderId: discarded.orderId }],
    });
    expect(replay).toMatchObject({ action: 'replay', outcome: 'succeeded', deadLetters: [expect.objectContaining({ id: replayed.id, orderId: replayed.orderId })] });
    expect(discard.id).toBeGreaterThan(replay.id);

    expect((await auditOf(`deadLetterId=${replayed.id}`)).entries.map(({ action }) => action)).toEqual(['replay']);
    expect((await auditOf('action=discard&actor=olivia')).entries.map(({ id }) => id)).toEqual([discard.id]);
    const firstPage = await auditOf('actor=olivia&limit=1');
    expect(firstPage.entries.map(({ id }) => id)).toEqual([discard.id]);
    const secondPage = await auditOf(`actor=olivia&limit=1&before=${firstPage.nextBefore}`);
    expect(secondPage.entries.map(({ id }) => id)).toEqual([replay.id]);
    // Each action's `started` entry, stored before it ran, is shown only while it has no outcome.
    expect((await auditOf(`actor=olivia&limit=1&before=${secondPage.nextBefore}`)).entries).toEqual([]);
  });

  it('refuses an action whose audit entry cannot be stored, leaving the dead letter in the queue', async () => {
    const { id } = await seed();
    const admin = await connect({ servers: nats.url });
    const jsm = await jetstreamManager(admin);
    try {
      await jsm.streams.delete(AUDIT_STREAM);
      for (const path of [`${ADMIN}/${id}/replay`, `${ADMIN}/${id}/discard`]) {
        const refused = await call<{ error: { code: string } }>(path, { method: 'POST' });
        expect({ path, status: refused.status, code: refused.body.error.code }).toEqual({ path, status: 503, code: 'AUDIT_UNAVAILABLE' });
      }
      const bulk = await call<{ error: { code: string } }>(`${ADMIN}/discard`, { method: 'POST', body: { ids: [id] } });
      expect(bulk.status).toBe(503);
      expect((await call(`${ADMIN}/${id}`)).status).toBe(200);
    } finally {
      await ensureStreams(jsm, [auditStreamSettings()]);
      await admin.close();
    }
  });

  it('lets only an ops-editor edit and replay a payload, validated against the event schema, and audits the diff', async () => {
    const { id, event, orderId } = await seed();
    const edited = { ...event, data: { ...event.data, reason: 'PAYMENT_DECLINED' } };
    const path = `${ADMIN}/${id}/edit-and-replay`;

    expect((await call(path, { method: 'POST', body: { payload: edited } })).status).toBe(403);
    expect((await call(path, { method: 'POST', as: 'customer', body: { payload: edited } })).status).toBe(403);

    const invalid = await call<{ error: { code: string; details: Array<{ path: string }> } }>(path, {
      method: 'POST',
      as: 'editor',
      body: { payload: { ...event, data: { orderId: 'not-a-uuid', reason: 'BORED' } } },
    });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.code).toBe('PAYLOAD_INVALID');
    expect(invalid.body.error.details.map((issue) => issue.path).sort()).toEqual(['data.orderId', 'data.reason']);
    const otherEvent = await call<{ error: { code: string } }>(path, { method: 'POST', as: 'editor', body: { payload: { ...event, type: 'order.confirmed' } } });
    expect(otherEvent.status).toBe(422);
    const unchanged = await call<{ error: { code: string } }>(path, { method: 'POST', as: 'editor', body: { payload: event } });
    expect(unchanged.body.error.code).toBe('PAYLOAD_UNCHANGED');
    expect((await call(path, { method: 'POST', as: 'editor', body: { payload: edited, dryRun: 'yes' } })).status).toBe(400);

    const change = { path: 'data.reason', before: 'CUSTOMER_CANCELLED', after: 'PAYMENT_DECLINED' };
    const dryRun = await call(path, { method: 'POST', as: 'editor', body: { payload: edited, dryRun: true } });
    expect(dryRun).toEqual({ status: 200, body: { id, changes: [change], replayed: null } });
    expect((await call(`${ADMIN}/${id}`)).status).toBe(200);
    expect((await auditOf(`deadLetterId=${id}`)).entries).toEqual([]);

    const replay = await call<{ replayed: { stream: string; sequence: number } }>(path, { method: 'POST', as: 'editor', body: { payload: edited } });
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ id, changes: [change], replayed: { subject: 'order.cancelled.v1', stream: 'ORDER' } });
    const streams = await gateway.get(NatsConnectionManager).jetstreamManager();
    expect((await streams.streams.getMessage('ORDER', { seq: replay.body.replayed.sequence }))?.json()).toEqual(edited);
    expect((await call(`${ADMIN}/${id}`)).status).toBe(404);
    expect((await auditOf(`deadLetterId=${id}`)).entries).toEqual([
      expect.objectContaining({ action: 'edit-and-replay', outcome: 'succeeded', actor: { subject: 'eddie', roles: ['ops', 'ops-editor'] }, changes: [change] }),
    ]);
    expect((await auditOf(`deadLetterId=${id}`)).entries[0].deadLetters[0].orderId).toBe(orderId);
  });

  it('replays or discards the dead letters a filter matches, server-side, in one audited action', async () => {
    const consumer = `payment-service-bulk-${seeded}`;
    const matching = [await seed(consumer, 'provider timeout'), await seed(consumer, 'Provider TIMEOUT again')];
    const other = await seed(consumer, 'declined');

    const empty = await call<{ error: { code: string } }>(`${ADMIN}/replay`, { method: 'POST', body: {} });
    expect({ status: empty.status, code: empty.body.error.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    for (const body of [{ ids: [] }, { ids: Array.from({ length: 501 }, (_, index) => index + 1) }, { kind: 'bored' }, { consumer: 'a.b' }, { everything: true }]) {
      expect({ body, status: (await call(`${ADMIN}/discard`, { method: 'POST', body })).status }).toEqual({ body, status: 400 });
    }

    const outcome = await call(`${ADMIN}/replay`, { method: 'POST', body: { consumer, errorContains: 'timeout' } });
    const ids = matching.map(({ id }) => id);
    expect(outcome).toEqual({ status: 200, body: { action: 'replay', matched: 2, done: ids, failed: [], limit: 500, more: false } });
    for (const id of ids) expect((await call(`${ADMIN}/${id}`)).status).toBe(404);
    expect((await call(`${ADMIN}/${other.id}`)).status).toBe(200);
    const [entry] = (await auditOf('action=bulk-replay')).entries;
    expect(entry).toMatchObject({ outcome: 'succeeded', deadLetters: ids.map((id) => expect.objectContaining({ id, consumer, orderId: null })) });

    const discard = await call(`${ADMIN}/discard`, { method: 'POST', body: { ids: [other.id, ids[0]] } });
    expect(discard).toEqual({ status: 200, body: { action: 'discard', matched: 1, done: [other.id], failed: [], limit: 500, more: false } });
    expect((await auditOf(`deadLetterId=${other.id}`)).entries.map(({ action }) => action)).toEqual(['bulk-discard']);
  });

  it('acts on at most 500 dead letters a call and says when more matched', async () => {
    const consumer = `payment-service-many-${seeded}`;
    await Promise.all(Array.from({ length: 501 }, () => seed(consumer)));

    const first = await call<{ matched: number; done: number[]; more: boolean; limit: number }>(`${ADMIN}/discard`, { method: 'POST', body: { consumer } });
    expect(first.body).toMatchObject({ matched: 500, more: true, limit: 500 });
    expect(first.body.done).toHaveLength(500);
    const rest = await call(`${ADMIN}/discard`, { method: 'POST', body: { consumer } });
    expect(rest.body).toMatchObject({ matched: 1, more: false });
    expect((await call(`${ADMIN}/discard`, { method: 'POST', body: { consumer } })).body).toEqual({ action: 'discard', matched: 0, done: [], failed: [], limit: 500, more: false });
  });

  it('reads at most 1000 entries for a page, and says where to go on when a filter found nothing there', async () => {
    const trail = gateway.get(AuditTrail);
    const entryBy = (subject: string): NewAuditEntry => ({ actionId: randomUUID(), action: 'discard', outcome: 'succeeded', actor: { subject, roles: ['ops'] }, deadLetters: [] });
    await trail.record(entryBy('rare-reviewer'));
    await Promise.all(Array.from({ length: 1_200 }, () => trail.record(entryBy('busy-operator'))));

    const first = await auditOf('actor=rare-reviewer');
    expect(first.entries).toEqual([]);
    expect(first.nextBefore).toEqual(expect.any(Number));
    const next = await auditOf(`actor=rare-reviewer&before=${first.nextBefore}`);
    expect(next.entries.map(({ actor }) => actor.subject)).toEqual(['rare-reviewer']);
  });

  it('answers 403 to a customer on the audit and bulk routes, and 400 for malformed audit queries', async () => {
    expect((await call(AUDIT, { as: 'customer' })).status).toBe(403);
    for (const action of ['replay', 'discard']) {
      expect((await call(`${ADMIN}/${action}`, { method: 'POST', as: 'customer', body: { ids: [1] } })).status).toBe(403);
    }
    for (const query of ['limit=0', 'limit=101', 'action=delete', 'deadLetterId=x', 'deadLetterId=0', 'before=-1', 'actor=a%20b']) {
      const response = await call<{ error: { code: string } }>(`${AUDIT}?${query}`);
      expect({ query, status: response.status, code: response.body.error.code }).toEqual({ query, status: 400, code: 'VALIDATION_FAILED' });
    }
  });
});
