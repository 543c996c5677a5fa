/** A durable consumer as JetStream reports it. */
export interface ConsumerSummary {
  name: string;
  /** Messages in the stream not delivered to it yet: its lag. */
  pending: number;
  /** Delivered and not acknowledged yet: being handled, or waiting for redelivery. */
  ackPending: number;
  /** Delivered more than once and not acknowledged yet. */
  redelivered: number;
}

export interface StreamSummary {
  name: string;
  subjects: string[];
  messages: number;
  bytes: number;
  replicas: number;
  consumers: ConsumerSummary[];
}

export interface BusState {
  streams: StreamSummary[];
}

/**
 * The message bus as operators watch it: every stream with its consumers. Rejects with
 * UpstreamUnavailable when the bus cannot be reached.
 */
export abstract class BusAdmin {
  abstract state(): Promise<BusState>;
}
