import { withPostgres } from '@orders/local-processes';
import { PROCESS_NAMES } from '@orders/local-stack';
import { Platform } from '../support/platform';
import { Observations } from './ground-truth';
import { Violation } from './invariants';
import { ClientOrder } from './load-generator';

/** Every line any process logged with one of `needles` (an order id, its correlation ids), most recent `limit`. */
export function logLinesAbout(platform: Platform, needles: string | readonly string[], limit: number): string[] {
  const wanted = typeof needles === 'string' ? [needles] : needles;
  return PROCESS_NAMES.flatMap((name) =>
    platform.stack
      .logs(name)
      .filter((line) => wanted.some((needle) => line.includes(needle)))
      .map((line) => `[${name}] ${line}`),
  ).slice(-limit);
}

/**
 * The correlation ids of the requests that set an order's events off (placing it,
 * cancelling it): handlers log those, not always the order id.
 */
async function correlationIdsOf(platform: Platform, orderId: string): Promise<string[]> {
  return withPostgres(platform.stack.databaseUrls.order, async (client) => {
    const { rows } = await client.query<{ id: string }>(`SELECT DISTINCT payload->>'correlationId' AS id FROM outbox WHERE payload->'data'->>'orderId' = $1`, [orderId]);
    return rows.map((row) => row.id).filter(Boolean);
  });
}

const ORDERS_WITH_EVIDENCE = 5;
const LOG_LINES_PER_ORDER = 80;

/**
 * For the first few orders a violation is about: what the client asked and was told,
 * what order-service and the payment provider recorded, and every log line about it.
 * Gathered before the platform stops, since its logs go with it.
 */
export async function gatherEvidence(
  platform: Platform,
  violations: readonly Violation[],
  observed: Observations,
  client: readonly ClientOrder[],
): Promise<Record<string, string[]>> {
  const orderIds = [...new Set(violations.flatMap((violation) => (violation.orderId ? [violation.orderId] : [])))].slice(0, ORDERS_WITH_EVIDENCE);
  const evidence: Record<string, string[]> = {};
  for (const orderId of orderIds) {
    const stored = observed.orders.find((order) => order.id === orderId);
    const requested = client.find((order) => order.placeAnswers.some((answer) => answer.kind === 'accepted' && answer.orderId === orderId));
    const ledger = Object.fromEntries(
      Object.entries(observed.ledger).map(([kind, entries]) => [kind, (entries as Array<{ reference: string }>).filter((entry) => entry.reference === orderId)]),
    );
    evidence[orderId] = [
      `client: ${JSON.stringify(requested ?? 'never told the id')}`,
      `order-service: ${JSON.stringify(stored ?? 'no such order')}`,
      `payment provider: ${JSON.stringify(ledger)}`,
      `carrier: ${JSON.stringify(observed.shipments.filter((shipment) => shipment.reference === orderId).map(({ id, status }) => ({ id, status })))}`,
      ...logLinesAbout(platform, [orderId, ...(await correlationIdsOf(platform, orderId).catch(() => []))], LOG_LINES_PER_ORDER),
    ];
  }
  return evidence;
}
