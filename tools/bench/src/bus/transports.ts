import { JetStreamManager } from '@nats-io/jetstream';
import { streamForContext } from '@orders/contracts';
import { DEFAULT_CONSUMER_OPTIONS, ensureStreams, eventStreamSettings, StreamSettings } from '@orders/messaging';
import { version as PLUGIN_VERSION } from '@nestjs-plugins/nestjs-nats-jetstream-transport/package.json';
import { join } from 'node:path';
import { TransportKey } from './options';
import { BENCH_EVENT, Framing } from './publisher';

export interface Transport {
  key: TransportKey;
  /** Its letter in the report's ratios (a/b, a/c). */
  letter: TransportLetter;
  label: string;
  /** The child's entry point. */
  entry: string;
  /** Where the bench publishes; the child's handler subscribes to `BENCH_EVENT.subject`. */
  subject: string;
  /**
   * The stream a JetStream transport consumes from. JetStream transports get a JetStream
   * publish, the drain mode and the exactly-once and ack checks; core NATS has none.
   */
  stream?: string;
  /** How it consumes, beyond what the consumer's own configuration (read from the server) shows. */
  notes: string;
  /** How the bench puts an event on the wire for it; the envelope as is by default. */
  frame?: Framing;
  /** Readies the private server before the child starts. */
  prepare?: (manager: JetStreamManager) => Promise<void>;
}

export type TransportLetter = 'a' | 'b' | 'c';

/** The stream the services keep the event in, with the services' own settings. */
export const BENCH_STREAM: StreamSettings = eventStreamSettings(streamForContext(BENCH_EVENT.context));

const child = (file: string): string => join(__dirname, 'children', file);

export const TRANSPORTS: Record<TransportKey, Transport> = {
  ours: {
    key: 'ours',
    letter: 'a',
    label: '(a) @orders/messaging JetStreamServer',
    entry: child('ours.child.ts'),
    subject: BENCH_EVENT.subject,
    stream: BENCH_STREAM.name,
    notes:
      `Durable pull consumer with the default consumer settings (DEFAULT_CONSUMER_OPTIONS: ${DEFAULT_CONSUMER_OPTIONS.concurrency} handlers at once); ` +
      'envelope validated against the catalogue schema; acked after the handler; creates its streams itself; ' +
      'no tracer started and Nest logging at warn, so its per-event spans are no-ops and its per-event info log line is off.',
  },
  plugin: {
    key: 'plugin',
    letter: 'b',
    label: `(b) nestjs-nats-jetstream-transport ${PLUGIN_VERSION}`,
    entry: child('plugin.child.ts'),
    subject: BENCH_EVENT.subject,
    stream: BENCH_STREAM.name,
    notes:
      'Durable push consumer (js.subscribe, deliverTo inbox) with ackPolicy Explicit and manualAck: the handler acks as its last step; ' +
      'the plugin awaits each handler before taking the next message; JSON decoded without validation; stream created by the bench with our settings.',
    prepare: (manager) => ensureStreams(manager, [BENCH_STREAM]),
  },
  'nest-nats': {
    key: 'nest-nats',
    letter: 'c',
    label: '(c) @nestjs/microservices Transport.NATS',
    entry: child('nest-nats.child.ts'),
    subject: BENCH_EVENT.subject,
    notes:
      'Core NATS subscription: nothing stored, nothing acked; handlers run as messages arrive; JSON decoded without validation; ' +
      "events framed as Nest's NATS client emits them ({pattern, data}).",
    // Nest reads a message with `data` and `id` fields (as an envelope has) as its own request packet, so it must be framed.
    frame: (envelope) => ({ pattern: BENCH_EVENT.subject, data: envelope }),
  },
};
