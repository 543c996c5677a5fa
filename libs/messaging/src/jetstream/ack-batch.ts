import { JsMsg } from '@nats-io/jetstream';

/**
 * Acks of handlers that succeeded, sent together once per turn of the event loop. The NATS
 * client writes its buffer to the socket in the microtask after the first command it queued,
 * and handlers finish in microtasks of their own, so acking each at once costs a `write(2)`
 * per message. Acking them in one synchronous run fills one buffer and one write.
 */
export class AckBatch {
  private pending: JsMsg[] = [];
  private scheduled?: NodeJS.Immediate;

  add(message: JsMsg): void {
    this.pending.push(message);
    this.scheduled ??= setImmediate(() => this.flush());
  }

  /** Acks what is waiting now; at shutdown, so the acks go out before the connection drains. */
  flush(): void {
    clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const messages = this.pending;
    this.pending = [];
    for (const message of messages) message.ack();
  }
}
