import { JsMsg } from '@nats-io/jetstream';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Pauses one consumer while a dependency its handler needs is unavailable (an open circuit,
 * a full bulkhead). Messages wait out the pause in the process, kept alive with `working()`,
 * so the server neither redelivers them nor counts another delivery: an outage spends none of
 * their deliveries. Closing ends every wait at once, so shutdown can hand the messages back.
 */
export class ConsumerPause {
  private until = 0;
  private readonly closing = new AbortController();

  constructor(private readonly keepAliveEveryMs: number) {}

  /** Pauses the consumer until at least `ms` from now. */
  extend(ms: number): void {
    this.until = Math.max(this.until, Date.now() + ms);
  }

  /** Resolves once the pause is over, true, or once the consumer closes, false; keeps `message` alive meanwhile. */
  async over(message: JsMsg): Promise<boolean> {
    const { signal } = this.closing;
    if (signal.aborted || Date.now() >= this.until) return !signal.aborted;
    // At once as well: a message held again and again for less than the interval would never be kept alive.
    message.working();
    const keepAlive = setInterval(() => message.working(), this.keepAliveEveryMs);
    try {
      // The pause may be extended while it lasts, by other messages failing the same way.
      while (!signal.aborted && Date.now() < this.until) await sleep(this.until - Date.now(), undefined, { signal }).catch(() => undefined);
    } finally {
      clearInterval(keepAlive);
    }
    return !signal.aborted;
  }

  close(): void {
    this.closing.abort();
  }
}
