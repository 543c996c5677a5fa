import { SimulatorName } from '@orders/local-stack';
import { DEFAULT_COMPENSATION_LANE_OPTIONS } from '@orders/messaging';
import { simulatorControl } from '@orders/provider-simulators';
import { Platform } from '../support/platform';

/** The provider calls that undo a step: what the compensation lanes of payment-service and shipping-service make. */
export const COMPENSATION_ROUTES: Readonly<Record<SimulatorName, readonly string[]>> = {
  'payment-provider-sim': ['POST /v1/authorizations/:id/void', 'POST /v1/captures/:id/refunds'],
  'carrier-sim': ['POST /v1/shipments/:id/cancel'],
};

const WINDOW_MS = 1_000;

/** The most of `arrivals` (epoch milliseconds, any order) that fall within one second, and when that second began. */
export function busiestSecond(arrivals: readonly number[]): { operations: number; startedAt?: number } {
  const sorted = [...arrivals].sort((a, b) => a - b);
  let busiest = { operations: 0, startedAt: undefined as number | undefined };
  let first = 0;
  for (let last = 0; last < sorted.length; last++) {
    while (sorted[last] - sorted[first] >= WINDOW_MS) first++;
    if (last - first + 1 > busiest.operations) busiest = { operations: last - first + 1, startedAt: sorted[first] };
  }
  return busiest;
}

export interface CompensationRate {
  simulator: SimulatorName;
  /** Distinct compensation operations (Idempotency-Keys) the simulator received during the run. */
  operations: number;
  busiestSecond: number;
  busiestSecondAt?: string;
  /** What a second may hold: the services' limit counted in fixed 1-second windows, so up to two windows' worth. */
  allowed: number;
}

/** The limit every replica of a service shares (COMPENSATION_RATE_PER_SECOND), as the chaos platform runs it. */
export const COMPENSATION_RATE_LIMIT = DEFAULT_COMPENSATION_LANE_OPTIONS.ratePerSecond;

/** Per simulator, how many distinct compensations reached it in its busiest second. */
export async function compensationRates(platform: Platform): Promise<CompensationRate[]> {
  return Promise.all(
    (Object.keys(COMPENSATION_ROUTES) as SimulatorName[]).map(async (simulator) => {
      const byRoute = await simulatorControl(platform.stack.urls[simulator]).operations();
      const arrivals = COMPENSATION_ROUTES[simulator].flatMap((route) => byRoute[route] ?? []);
      const busiest = busiestSecond(arrivals);
      return {
        simulator,
        operations: arrivals.length,
        busiestSecond: busiest.operations,
        busiestSecondAt: busiest.startedAt === undefined ? undefined : new Date(busiest.startedAt).toISOString(),
        allowed: 2 * COMPENSATION_RATE_LIMIT,
      };
    }),
  );
}
