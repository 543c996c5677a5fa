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
  /** Since the bench last started a phase (warm-up, throughput, latency). */
  phase: { handled: number; lastHandledAt?: number; latency: LatencySummary };
}

interface Phase {
  handled: number;
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
  private phase: Phase = newPhase();

  record(event: HandledEvent, handledAt = preciseNow()): void {
    this.handled += 1;
    this.ids.add(event.id);
    this.phase.handled += 1;
    this.phase.lastHandledAt = handledAt;
    this.phase.latency.record(handledAt - fromPreciseIso(event.occurredAt));
  }

  /** Called by the bench between phases, once the previous phase's events were all handled. */
  startPhase(): void {
    this.phase = newPhase();
  }

  report(): HandledReport {
    const { handled, lastHandledAt, latency } = this.phase;
    return {
      total: { handled: this.handled, distinct: this.ids.size },
      phase: { handled, lastHandledAt, latency: latency.summary() },
    };
  }
}

function newPhase(): Phase {
  return { handled: 0, latency: new LatencyRecorder() };
}
