import { Injectable } from '@nestjs/common';
import { SagaOutcomes } from '../saga-outcomes';

/**
 * Port: the sagas placed within the admission window that are still running, counted across
 * every replica. The count may lag by a short refresh interval; `added` covers that gap for the
 * placements this process admits in between. Answers without waiting for the database once it
 * has a first count.
 */
export abstract class SagasInFlight {
  abstract count(): Promise<number>;
  abstract added(): void;
}

/** How many running sagas the platform takes on before it refuses new orders, provided from configuration. */
export abstract class AdmissionSettings {
  /** Running sagas at most; a placement beyond it is refused before anything is written. */
  abstract readonly maxSagasInFlight: number;
  /**
   * Only sagas placed this recently count. An older one still PENDING is stuck (on a dead letter,
   * say), the deadline watchdog's business, and must not keep the shop closed.
   */
  abstract readonly windowMs: number;
}

/** The sagas already running are all the platform can absorb: the request was not processed, retry after `retryAfterSeconds`. */
export class SagasAtCapacity extends Error {
  readonly code = 'AT_CAPACITY';

  constructor(readonly retryAfterSeconds: number) {
    super('Orders are arriving faster than they can be completed; the request was not processed, try again shortly with the same Idempotency-Key');
  }
}

/** Sagas in flight end within a second or two at saturation, so a second later a slot is likely free. */
const RETRY_AFTER_SECONDS = 1;

/**
 * Admission control: refuses a placement fast, before any write, when more sagas are running
 * than the platform completes in good time. Accepting it would only lengthen every queue behind
 * it, slow every saga, and at worst make redeliveries eat the capacity the sagas need.
 */
@Injectable()
export class SagaAdmission {
  constructor(
    private readonly inFlight: SagasInFlight,
    private readonly settings: AdmissionSettings,
    private readonly outcomes: SagaOutcomes,
  ) {}

  async admit(): Promise<void> {
    if ((await this.inFlight.count()) >= this.settings.maxSagasInFlight) {
      this.outcomes.refused();
      throw new SagasAtCapacity(RETRY_AFTER_SECONDS);
    }
    this.inFlight.added();
  }
}
