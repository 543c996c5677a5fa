/** Deadline of the order saga, provided from configuration. */
export abstract class SagaSettings {
  /** How long an order may stay PENDING before it is cancelled TIMED_OUT. */
  abstract readonly timeoutMs: number;
  /** How often each replica looks for orders past that deadline. */
  abstract readonly watchdogIntervalMs: number;
  /** How long after a participant's event about an order the database does not have that order counts as lost. */
  abstract readonly lostOrderWaitMs: number;
}
