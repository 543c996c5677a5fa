import { jetstream } from '@nats-io/jetstream';
import { STREAMS } from '@orders/contracts';
import { withJetStream } from './jetstream-state';

/** One message of an event stream, with what its envelope says about where it came from. */
export interface StoredEvent {
  stream: string;
  seq: number;
  /** When the stream's leader stored it; every node runs on this machine's clock. */
  storedAtNanos: bigint;
  id: string;
  type: string;
  causationId: string | null;
  orderId?: string;
}

/** Every message of every event stream, in stream order. */
export function readStoredEvents(natsUrl: string): Promise<StoredEvent[]> {
  return withJetStream(natsUrl, async (jsm, connection) => {
    const events: StoredEvent[] = [];
    for (const { name: stream } of STREAMS) {
      const { state } = await jsm.streams.info(stream);
      if (state.messages === 0) continue;
      const consumer = await jetstream(connection).consumers.get(stream);
      const messages = await consumer.consume();
      for await (const message of messages) {
        const envelope = envelopeOf(message.string());
        if (envelope) events.push({ stream, seq: message.seq, storedAtNanos: message.timestampNanos, ...envelope });
        if (message.info.pending === 0) break;
      }
      await messages.close();
      await consumer.delete();
    }
    return events;
  });
}

/** What an event's envelope says about it; undefined for a message that is no event envelope. */
function envelopeOf(text: string): Pick<StoredEvent, 'id' | 'type' | 'causationId' | 'orderId'> | undefined {
  try {
    const envelope = JSON.parse(text) as { id?: unknown; type?: unknown; causationId?: unknown; data?: { orderId?: unknown } };
    if (typeof envelope.id !== 'string' || typeof envelope.type !== 'string') return undefined;
    const orderId = envelope.data?.orderId;
    return {
      id: envelope.id,
      type: envelope.type,
      causationId: typeof envelope.causationId === 'string' ? envelope.causationId : null,
      orderId: typeof orderId === 'string' ? orderId : undefined,
    };
  } catch {
    return undefined;
  }
}

export interface CausalOrderFinding {
  subject: string;
  orderId?: string;
  detail: string;
}

export interface CausalOrder {
  /** Events whose cause is in a stream, each checked. */
  checked: number;
  /** Events caused by something no stream holds (a request, a timer): nothing to order them after. */
  uncaused: number;
  findings: CausalOrderFinding[];
}

/**
 * Each event reached its stream after the events it was caused by (its envelope's `causationId`):
 * within one stream at a higher sequence, across streams no earlier than the cause was stored
 * (a service publishes an effect only after it was delivered the cause, which the cause's stream
 * had stored by then). A copy stored again later (a redelivered publish, a replay) does not move
 * an event: its first copy counts.
 */
export function checkCausalOrder(events: readonly StoredEvent[]): CausalOrder {
  const firstCopies = new Map<string, StoredEvent>();
  for (const event of events) {
    const known = firstCopies.get(event.id);
    if (!known || event.storedAtNanos < known.storedAtNanos) firstCopies.set(event.id, event);
  }
  const result: CausalOrder = { checked: 0, uncaused: 0, findings: [] };
  for (const event of firstCopies.values()) {
    if (event.causationId === null) continue;
    const cause = firstCopies.get(event.causationId);
    if (!cause) {
      result.uncaused++;
      continue;
    }
    result.checked++;
    const inOrder = cause.stream === event.stream ? cause.seq < event.seq : cause.storedAtNanos <= event.storedAtNanos;
    if (!inOrder) {
      result.findings.push({
        subject: `event ${event.id}`,
        orderId: event.orderId ?? cause.orderId,
        detail: `${event.type} (${event.stream} #${event.seq}) was stored before its cause ${cause.type} (${cause.stream} #${cause.seq})`,
      });
    }
  }
  return result;
}
