import { LatencySummary } from '../measure/latency';
import { formatTable } from '../measure/table';
import { AnatomySummary, Hop, SagaAnatomy, SEGMENTS } from './saga-anatomy';

/** One saga, hop by hop, in milliseconds. */
export function renderSaga(saga: SagaAnatomy): string {
  const sums = SEGMENTS.map((segment) => saga.hops.reduce((sum, hop) => sum + hop.segments[segment], 0));
  return [
    `Order ${saga.orderId ?? '(no order id)'}, trace ${saga.traceId}: ${ms(saga.totalMs)} ms from order.placed's commit to ${saga.outcome}'s`,
    '',
    formatTable(
      ['hop (ms)', ...SEGMENTS, 'hop'],
      [
        ...saga.hops.map((hop) => [hopName(hop), ...SEGMENTS.map((segment) => ms(hop.segments[segment])), ms(SEGMENTS.reduce((sum, segment) => sum + hop.segments[segment], 0))]),
        ['saga', ...sums.map(ms), ms(saga.totalMs)],
      ],
    ),
  ].join('\n');
}

/** Percentiles per hop and segment, the segments summed over the saga, and their shares of its p50. */
export function renderSummary(summary: AnatomySummary): string {
  if (summary.sagas === 0) return 'No complete saga.';
  const { sagaMs, segments } = summary;
  return [
    `${summary.sagas} sagas, order.placed committed → outcome committed: p50 ${sagaMs.p50} ms, p95 ${sagaMs.p95} ms, p99 ${sagaMs.p99} ms`,
    '',
    formatTable(
      ['hop (ms: p50 / p95 / p99)', 'n', ...SEGMENTS],
      [
        ...summary.hops.map((hop) => [hopName(hop), hop.segments.outbox.count, ...SEGMENTS.map((segment) => percentiles(hop.segments[segment]))]),
        ['whole saga (sum of its hops)', summary.sagas, ...SEGMENTS.map((segment) => percentiles(segments[segment]))],
        ['share of the saga p50', '', ...SEGMENTS.map((segment) => `${segments[segment].shareOfSagaP50} %`)],
      ],
    ),
  ].join('\n');
}

function hopName(hop: Pick<Hop, 'eventType' | 'producer' | 'consumer'>): string {
  return `${hop.eventType}: ${hop.producer} → ${hop.consumer}`;
}

function percentiles(summary: LatencySummary): string {
  return `${summary.p50} / ${summary.p95} / ${summary.p99}`;
}

function ms(milliseconds: number): string {
  return milliseconds.toFixed(2);
}
