import { build, Histogram } from 'hdr-histogram-js';

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Latencies in milliseconds, kept at microsecond resolution in an HDR histogram (three significant digits). */
export class LatencyRecorder {
  private readonly histogram: Histogram = build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });

  record(milliseconds: number): void {
    this.histogram.recordValue(Math.max(1, Math.round(milliseconds * 1000)));
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  summary(): LatencySummary {
    const at = (percentile: number) => round(this.histogram.getValueAtPercentile(percentile) / 1000);
    return { count: this.histogram.totalCount, p50: at(50), p95: at(95), p99: at(99), max: round(this.histogram.maxValue / 1000) };
  }
}

function round(milliseconds: number): number {
  return Math.round(milliseconds * 100) / 100;
}
