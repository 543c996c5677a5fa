/**
 * Event-bus microbenchmark: `npm run bench:bus [-- flags]`.
 *
 * The same trivial NestJS event handler (it records the event's id and publish time,
 * then returns so the transport acks) receives `inventory.committed` events through
 *   (a) ours: JetStreamServer + NatsConnectionManager from @orders/messaging, default consumer settings;
 *   (b) @nestjs-plugins/nestjs-nats-jetstream-transport 2.2.6: durable push consumer, explicit ack after the handler;
 *   (c) @nestjs/microservices Transport.NATS: core NATS, no persistence (the speed reference).
 * Each runs as a NestJS microservice in a child process of its own, one after another,
 * against a private nats-server (JetStream on, fresh store) started for it, in two modes:
 *   - drain: --warmup + --events events wait in the stream before the consumer starts, so
 *     the consumer alone sets the pace; timed from the warm-up-th handled event to the last.
 *     Core NATS stores nothing: its events are published all at once to the running
 *     subscriber instead, and timed the same way;
 *   - concurrent: --events events published as fast as possible with at most --window
 *     unconfirmed while the consumer runs, after --warmup events, timed from the first
 *     publish to the last handled; then the latency (handling time minus the publish time
 *     stamped with microseconds into the envelope's occurredAt) at --rate events/s for --seconds s.
 * This process publishes (a JetStream publish for a and b, a core publish for c). Every run fails unless every event was handled, exactly once and acked for the
 * JetStream ones. Prints a table per mode with ours over each other transport and over the
 * best JetStream peer, and writes JSON to --out.
 *
 * Flags (or environment variables; flags win):
 *   --events N            BENCH_BUS_EVENTS            measured events (20000)
 *   --warmup N            BENCH_BUS_WARMUP            warm-up events (2000)
 *   --rate N              BENCH_BUS_RATE              latency phase events per second (1000)
 *   --seconds N           BENCH_BUS_SECONDS           latency phase length (10)
 *   --window N            BENCH_BUS_WINDOW            unconfirmed publishes at most (256)
 *   --timeout-seconds N   BENCH_BUS_TIMEOUT_SECONDS   waiting for a child to start or catch up (90)
 *   --transports LIST     BENCH_BUS_TRANSPORTS        any of ours,plugin,nest-nats (all)
 *   --modes LIST          BENCH_BUS_MODES             any of drain,concurrent (both)
 *   --profile             BENCH_BUS_PROFILE=1         V8 CPU profiles of the JetStream drains in bench/results/profiles (slower: not a run to quote)
 *   --out PATH            BENCH_BUS_OUT               JSON result, relative to the repository root (bench/results/bus.json)
 */
import { errorMessage, ProcessLogs } from '@orders/local-processes';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { describeMachine } from '../measure/machine';
import { parseBusOptions } from './options';
import { BENCH_EVENT } from './publisher';
import { summarizeCpuProfile, TimeShare } from '../measure/cpu-profile';
import { BusReport, formatReport, ratiosOf, TransportRun } from './report';
import { measureTransport, PROFILES_DIRECTORY } from './run-transport';
import { Teardown } from './teardown';
import { BENCH_STREAM, TRANSPORTS } from './transports';

const REPOSITORY_ROOT = resolve(__dirname, '..', '..', '..', '..');
const NANOS_PER_SECOND = 1e9;

async function main(): Promise<void> {
  const teardown = new Teardown();
  teardown.exitOn(['SIGINT', 'SIGTERM', 'SIGHUP']);
  try {
    const options = parseBusOptions(process.argv.slice(2));
    const context = { options, teardown, logs: new ProcessLogs('capture'), repositoryRoot: REPOSITORY_ROOT };
    const machine = await describeMachine();
    if (options.profile) await mkdir(resolve(REPOSITORY_ROOT, PROFILES_DIRECTORY), { recursive: true });
    const transports = options.transports.map((key) => TRANSPORTS[key]);
    const runs: BusReport['runs'] = {};
    const ratios: BusReport['ratios'] = {};
    for (const mode of options.modes) {
      const measured: TransportRun[] = [];
      for (const transport of transports) {
        console.log(`Measuring ${transport.label}, ${mode}...`);
        measured.push(await measureTransport(transport, mode, context));
      }
      runs[mode] = measured;
      ratios[mode] = ratiosOf(measured);
    }
    const { out, timeoutSeconds: _timeout, profile: _profile, ...parameters } = options;
    const report: BusReport = {
      machine,
      parameters: { ...parameters, event: `${BENCH_EVENT.type} v${BENCH_EVENT.latestVersion}`, stream: streamDescription() },
      transports: transports.map(({ key, letter, label, notes }) => ({ key, letter, label, notes })),
      runs,
      ratios,
      ...(options.profile ? { profiles: await summarizeProfiles(Object.values(runs).flat()) } : {}),
    };
    const path = resolve(REPOSITORY_ROOT, out);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\n${formatReport(report)}\n\nWritten to ${path}`);
  } catch (error) {
    // An interrupt stops the run by closing what it uses; the signal handler reports and exits.
    if (teardown.interrupted) return;
    console.error(`\nThe event-bus benchmark failed.\n${errorMessage(error)}`);
    process.exitCode = 1;
  }
}

async function summarizeProfiles(runs: TransportRun[]): Promise<Record<string, TimeShare[]>> {
  const profiles: Record<string, TimeShare[]> = {};
  for (const { label, profile } of runs) if (profile) profiles[label] = await summarizeCpuProfile(resolve(REPOSITORY_ROOT, profile), 12);
  return profiles;
}

/** The stream settings (a) and (b) share, in units a reader knows. */
function streamDescription(): Record<string, unknown> {
  return {
    name: BENCH_STREAM.name,
    subjects: BENCH_STREAM.subjects,
    storage: BENCH_STREAM.storage,
    replicas: BENCH_STREAM.num_replicas,
    duplicateWindowSeconds: (BENCH_STREAM.duplicate_window ?? 0) / NANOS_PER_SECOND,
    maxAgeDays: (BENCH_STREAM.max_age ?? 0) / NANOS_PER_SECOND / 86_400,
  };
}

void main();
