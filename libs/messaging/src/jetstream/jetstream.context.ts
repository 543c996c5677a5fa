import { JsMsg } from '@nats-io/jetstream';
import { BaseRpcContext } from '@nestjs/microservices';
import { REPLAYED_FROM_HEADER } from '../dead-letters/dead-letter-stream';

/**
 * What an event handler can learn about the message it is processing (`@Ctx()`): the message,
 * its consumer, and whether the handler already ran for this delivery and was held while a
 * dependency was unavailable.
 */
export class JetStreamContext extends BaseRpcContext<[JsMsg, string, boolean?]> {
  get message(): JsMsg {
    return this.args[0];
  }

  /** Durable consumer name; also the inbox scope for idempotency. */
  get consumer(): string {
    return this.args[1];
  }

  get subject(): string {
    return this.message.subject;
  }

  get deliveryCount(): number {
    return this.message.info.deliveryCount;
  }

  /**
   * An earlier attempt at this message may have started its work without finishing it: it is
   * redelivered, replayed from the dead-letter queue, or run again after a hold (a call that
   * met the open circuit may have followed one that reached the provider and timed out).
   */
  get isRetry(): boolean {
    return this.deliveryCount > 1 || this.args[2] === true || this.header(REPLAYED_FROM_HEADER) !== undefined;
  }

  header(name: string): string | undefined {
    return this.message.headers?.get(name) || undefined;
  }
}
