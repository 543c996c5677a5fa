/**
 * Saga latency anatomy of a running platform: `npm run anatomy -- [--order <id>] [--seconds N]`.
 *
 * Receives the apps' spans as an OTLP/HTTP collector (JSON, 127.0.0.1:4318 by default) and,
 * for one order or for every saga that ends within a window, walks each saga back from the
 * handler that ended it to order.placed and tells, per hop, how long the event waited in the
 * outbox, travelled through the broker, queued for a handler and was handled (saga-anatomy.ts).
 * The apps must export to it: start them with
 *   OTEL_TRACES_EXPORTER=otlp OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 OTEL_BSP_SCHEDULE_DELAY=200 npm start
 */
import { writeFile } from 'node:fs/promises';
import { renderSaga, renderSummary } from './anatomy-report';
import { ANATOMY_USAGE, AnatomyOptions, parseAnatomyOptions } from './options';
import { summarizeSagas } from './saga-anatomy';
import { SpanCollector, TRACES_PATH } from './span-collector';

/** Spans of sagas that ended within the window may still be on their way: the apps export every OTEL_BSP_SCHEDULE_DELAY ms. */
const STRAGGLERS_MS = 2_000;

async function main(): Promise<void> {
  const options = anatomyOptions();
  const collector = await SpanCollector.listen({ port: options.port });
  process.once('SIGINT', () => void collector.close().finally(() => process.exit(130)));
  console.log(
    [
      `Receiving spans at ${collector.endpoint}${TRACES_PATH}. Start the platform exporting to it, e.g.:`,
      '',
      `  OTEL_TRACES_EXPORTER=otlp OTEL_EXPORTER_OTLP_ENDPOINT=${collector.endpoint} OTEL_BSP_SCHEDULE_DELAY=200 npm start`,
      '',
    ].join('\n'),
  );
  try {
    const result = options.orderId ? await oneOrder(collector, options.orderId, options.seconds) : await window(collector, options.seconds);
    if (options.json) {
      await writeFile(options.json, `${JSON.stringify(result, null, 2)}\n`);
      console.log(`\nWritten to ${options.json}`);
    }
  } finally {
    await collector.close();
  }
}

async function oneOrder(collector: SpanCollector, orderId: string, seconds: number) {
  console.log(`Waiting up to ${seconds} s for the saga of order ${orderId} to end...`);
  const { sagas } = await collector.waitForSagas([orderId], seconds * 1000);
  if (sagas.length === 0) {
    throw new Error(`No complete saga of order ${orderId} within ${seconds} s (${collector.spanCount} spans received): do the apps export here, and did a handler end it?`);
  }
  console.log(`\n${renderSaga(sagas[0])}`);
  return { saga: sagas[0] };
}

async function window(collector: SpanCollector, seconds: number) {
  const from = Date.now();
  console.log(`Collecting for ${seconds} s: place orders now (README: "Calling the API").`);
  await sleep(seconds * 1000);
  const to = Date.now();
  await sleep(STRAGGLERS_MS);
  const sagas = collector.sagasEndedBetween(from, to);
  const summary = summarizeSagas(sagas);
  console.log(`\n${collector.spanCount} spans received.\n${renderSummary(summary)}`);
  return { windowSeconds: seconds, summary, sagas };
}

function anatomyOptions(): AnatomyOptions {
  try {
    return parseAnatomyOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${ANATOMY_USAGE}`);
    process.exit(2);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
