import { LatencyRecorder, LatencySummary } from '../measure/latency';
import { fromPreciseIso, preciseNow } from '../measure/precise-time';

/** The two envelope fields every benchmark handler reads, whatever its transport. */
export interface HandledEvent {
  id: string;
  occurredAt: string;
}

export interface HandledReport {
  /** Since the child started: what the exactly-once check counts. */
  total: { handled: number; distinct: number };
  /** Since the bench last started a phase (warm-up, throughput, latency, drain). */
  phase: PhaseReport;
}

export interface PhaseReport {
  handled: number;
  /** When the phase's `markAfter`-th event was handled: a drain is timed from there, so its first events warm the code up. */
  markedAt?: number;
  lastHandledAt?: number;
  latency: LatencySummary;
}

interface Phase {
  handled: number;
  markAfter: number;
  markedAt?: number;
  lastHandledAt?: number;
  latency: LatencyRecorder;
}

/**
 * What a child's handler saw, in the child: every event id (duplicates are redeliveries),
 * and per phase the count, the time of the last one and the delivery latency (handling
 * time minus the publish time stamped into `occurredAt`).
 */
export class HandledLog {
  private readonly ids = new Set<string>();
  private handled = 0;
  private phase: Phase;

  constructor(markAfter = 0) {
    this.phase = newPhase(markAfter);
  }

  record(event: HandledEvent, handledAt = preciseNow()): void {
    this.handled += 1;
    this.ids.add(event.id);
    this.phase.handled += 1;
    if (this.phase.handled === this.phase.markAfter) this.phase.markedAt = handledAt;
    this.phase.lastHandledAt = handledAt;
    this.phase.latency.record(handledAt - fromPreciseIso(event.occurredAt));
  }

  /** Called by the bench between phases, once the previous phase's events were all handled. */
  startPhase(markAfter = 0): void {
    this.phase = newPhase(markAfter);
  }

  report(): HandledReport {
    const { handled, markedAt, lastHandledAt, latency } = this.phase;
    return {
      total: { handled: this.handled, distinct: this.ids.size },
      phase: { handled, markedAt, lastHandledAt, latency: latency.summary() },
    };
  }
}

function newPhase(markAfter: number): Phase {
  return { handled: 0, markAfter, latency: new LatencyRecorder() };
}
