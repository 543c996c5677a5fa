import { errorMessage, withPostgres } from '@orders/local-processes';
import { ServiceName, SERVICES } from '@orders/local-stack';
import { setTimeout as sleep } from 'node:timers/promises';
import { Platform } from '../support/platform';
import { logLinesAbout } from './evidence';
import { ConsumerSnapshot, readConsumers } from './jetstream-state';

/** Work the platform still has to do. */
export interface Backlog {
  pendingOrders: string[];
  /** Of those, the ones a dead letter holds up: only an operator replaying it moves them on. */
  heldUpOrders: string[];
  /** Outbox rows not published yet, per service. */
  outbox: Record<ServiceName, number>;
  /** Consumers with messages not delivered or not acknowledged yet. */
  busyConsumers: ConsumerSnapshot[];
  consumers: ConsumerSnapshot[];
}

/** Nothing left to do but what only an operator can start. */
export function isQuiet(backlog: Backlog): boolean {
  return backlog.pendingOrders.length === backlog.heldUpOrders.length && isIdle(backlog);
}

function isIdle(backlog: Pick<Backlog, 'outbox' | 'busyConsumers'>): boolean {
  return Object.values(backlog.outbox).every((rows) => rows === 0) && backlog.busyConsumers.length === 0;
}

export function describeBacklog(backlog: Backlog): string {
  const outbox = Object.entries(backlog.outbox).filter(([, rows]) => rows > 0);
  const consumers = backlog.busyConsumers.map((consumer) => `${consumer.name} (${consumer.numPending} pending, ${consumer.numAckPending} unacked)`);
  return [
    `${backlog.pendingOrders.length} order(s) PENDING (${backlog.heldUpOrders.length} held up by a dead letter)`,
    `outbox backlog: ${outbox.length === 0 ? 'none' : outbox.map(([service, rows]) => `${service} ${rows}`).join(', ')}`,
    `busy consumers: ${consumers.length === 0 ? 'none' : consumers.join(', ')}`,
  ].join('; ');
}

/** `deadLetteredOrders`, if given, says which orders dead letters are about; asked only once all else is idle. */
export async function measureBacklog(platform: Platform, deadLetteredOrders?: () => Promise<ReadonlySet<string>>): Promise<Backlog> {
  const [pendingOrders, outboxRows, consumers] = await Promise.all([
    withPostgres(platform.stack.databaseUrls.order, async (client) =>
      (await client.query<{ id: string }>(`SELECT id FROM orders WHERE status = 'PENDING' ORDER BY created_at`)).rows.map((row) => row.id),
    ),
    Promise.all(
      SERVICES.map((service) =>
        withPostgres(
          platform.stack.databaseUrls[service],
          async (client) => (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL')).rows[0].n,
        ),
      ),
    ),
    readConsumers(platform.stack.natsUrl),
  ]);
  const outbox = Object.fromEntries(SERVICES.map((service, index) => [service, outboxRows[index]])) as Record<ServiceName, number>;
  const busyConsumers = consumers.filter((consumer) => consumer.numPending > 0 || consumer.numAckPending > 0);
  const deadLettered = deadLetteredOrders && pendingOrders.length > 0 && isIdle({ outbox, busyConsumers }) ? await deadLetteredOrders() : new Set<string>();
  return { pendingOrders, heldUpOrders: pendingOrders.filter((orderId) => deadLettered.has(orderId)), outbox, busyConsumers, consumers };
}

export type Quiescence = { quiet: true; backlog: Backlog; waitedMs: number } | { quiet: false; diagnosis: string; waitedMs: number };

const POLL_INTERVAL_MS = 2_000;
const PROGRESS_EVERY_MS = 15_000;

/**
 * Waits until no order is PENDING, every outbox is published and every consumer has
 * acknowledged everything, seen twice in a row (a handler could be between its ack and
 * its next outbox row being noticed). On timeout, says what is stuck and why.
 *
 * Before the dead letters are replayed, pass `deadLetteredOrders`: an order a dead letter
 * holds up moves on only once an operator replays it (or its saga deadline cancels it),
 * so for now it counts as settled. After the replay every order must be.
 */
export async function waitForQuiescence(
  platform: Platform,
  timeoutMs: number,
  log: (line: string) => void,
  deadLetteredOrders?: () => Promise<ReadonlySet<string>>,
): Promise<Quiescence> {
  const started = Date.now();
  let quietBefore = false;
  let lastProgress = started;
  let last: Backlog | undefined;
  let lastError: unknown;
  while (Date.now() - started < timeoutMs) {
    try {
      last = await measureBacklog(platform, deadLetteredOrders);
      lastError = undefined;
      if (isQuiet(last) && quietBefore) return { quiet: true, backlog: last, waitedMs: Date.now() - started };
      quietBefore = isQuiet(last);
    } catch (error) {
      lastError = error;
      quietBefore = false;
    }
    if (Date.now() - lastProgress >= PROGRESS_EVERY_MS) {
      lastProgress = Date.now();
      log(
        `waiting for quiescence (${Math.round((Date.now() - started) / 1_000)} s): ${last ? describeBacklog(last) : 'nothing measured yet'}${lastError ? `; last error: ${errorMessage(lastError)}` : ''}`,
      );
    }
    await sleep(POLL_INTERVAL_MS);
  }
  const diagnosis = last ? await diagnose(platform, last) : `nothing could be measured: ${errorMessage(lastError)}`;
  return { quiet: false, diagnosis, waitedMs: Date.now() - started };
}

/** For a test: waits until the platform has nothing left to do, or fails saying what is stuck. */
export async function expectQuiescence(platform: Platform, timeoutMs = 60_000): Promise<void> {
  const quiescence = await waitForQuiescence(platform, timeoutMs, () => undefined);
  if (!quiescence.quiet) throw new Error(quiescence.diagnosis);
}

const STUCK_ORDERS_SHOWN = 10;
const LOG_LINES_PER_ORDER = 25;

/** The stuck orders as stored and as every process logged them, the unpublished outbox rows and the busy consumers. */
async function diagnose(platform: Platform, backlog: Backlog): Promise<string> {
  const lines = [`Not quiescent: ${describeBacklog(backlog)}`];
  const stuck = backlog.pendingOrders.filter((orderId) => !backlog.heldUpOrders.includes(orderId)).slice(0, STUCK_ORDERS_SHOWN);
  const stored = await withPostgres(platform.stack.databaseUrls.order, async (client) => {
    const { rows } = await client.query<{ id: string }>(
      'SELECT id, customer_id, status, reserved, authorized, scheduled, captured, committed, timeline, created_at FROM orders WHERE id = ANY($1)',
      [stuck],
    );
    return new Map(rows.map((row) => [row.id, JSON.stringify(row)]));
  }).catch((error: unknown) => errorMessage(error));
  for (const orderId of stuck) {
    lines.push(`--- order ${orderId}: ${typeof stored === 'string' ? `not readable: ${stored}` : stored.get(orderId)}`);
    lines.push(...logLinesAbout(platform, orderId, LOG_LINES_PER_ORDER).map((line) => `  ${line}`));
  }
  for (const service of SERVICES.filter((candidate) => backlog.outbox[candidate] > 0)) {
    const unpublished = await withPostgres(
      platform.stack.databaseUrls[service],
      async (client) => (await client.query('SELECT subject, attempts, last_error, created_at FROM outbox WHERE published_at IS NULL ORDER BY created_at LIMIT 5')).rows,
    ).catch((error: unknown) => errorMessage(error));
    lines.push(`--- ${service}-service outbox: ${JSON.stringify(unpublished)}`);
  }
  for (const consumer of backlog.busyConsumers)
    lines.push(`--- consumer ${consumer.stream}/${consumer.name}: ${consumer.numPending} pending, ${consumer.numAckPending} unacknowledged`);
  return lines.join('\n');
}
