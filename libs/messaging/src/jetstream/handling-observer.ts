/** What became of one delivery: handled, given back for a later retry, or moved to the dead-letter queue. */
export type HandlingOutcome = 'ok' | 'retry' | 'dead_lettered';

export interface HandledMessage {
  /** The durable consumer that received it. */
  consumer: string;
  /** The event type, e.g. `order.placed`: the same for all versions and few, unlike subjects with ids. */
  type: string;
  outcome: HandlingOutcome;
  /** From the delivery to its outcome, lane waits included. */
  durationMs: number;
}

/**
 * Told about every delivery a JetStreamServer finished with, so metrics can count them
 * without the transport knowing how they are kept. Must not throw and must not block.
 */
export interface MessageHandlingObserver {
  handled(message: HandledMessage): void;
}
