import { AckPolicy, ConsumerMessages, DeliverPolicy, JetStreamApiError, JsMsg } from '@nats-io/jetstream';
import { Subscription } from '@nats-io/transport-node';
import { Logger } from '@nestjs/common';
import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { ContractViolation, decodeEnvelope, EVENT_CATALOG, EventDefinition, streamForContext } from '@orders/contracts';
import { lastValueFrom } from 'rxjs';
import { NatsConnectionManager } from '../nats/nats-connection';
import { QueryResponder } from '../query/query-responder';
import { ConcurrencyLimit } from './concurrency-limit';
import { ConsumerOptions, DEFAULT_CONSUMER_OPTIONS, redeliveryDelay } from './consumer-options';
import { JetStreamContext } from './jetstream.context';

interface RunningConsumer {
  name: string;
  messages: ConsumerMessages;
  done: Promise<void>;
}

/**
 * NestJS transport over NATS JetStream. Every `@EventPattern(type)` handler gets its
 * own durable pull consumer, named after the service and event type, so services
 * fan out (one consumer each) while replicas of one service share it (load
 * balancing). Messages are acked only after the handler succeeded; failures are
 * redelivered with backoff. `@MessagePattern(subject)` handlers answer core NATS
 * requests in a queue group.
 */
export class JetStreamServer extends Server implements CustomTransportStrategy {
  override readonly propagatesEventHandlerErrors = true;
  protected override readonly logger = new Logger(JetStreamServer.name);
  private readonly consumers: RunningConsumer[] = [];
  private readonly responders: Subscription[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly nats: NatsConnectionManager,
    private readonly defaults: ConsumerOptions = DEFAULT_CONSUMER_OPTIONS,
  ) {
    super();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      await this.nats.connect();
      await this.nats.ensureStreams();
      for (const [pattern, handler] of this.messageHandlers) {
        if (handler.isEventHandler) await this.startConsumer(pattern, handler);
        else this.responders.push(new QueryResponder(this.nats, pattern, handler, this).subscribe());
      }
      callback();
    } catch (error) {
      callback(error);
    }
  }

  /** Stops pulling, lets in-flight handlers finish, then stops answering queries. */
  async close(): Promise<void> {
    for (const consumer of this.consumers) consumer.messages.stop();
    await Promise.allSettled(this.consumers.map((consumer) => consumer.done));
    await Promise.allSettled([...this.inFlight]);
    await Promise.allSettled(this.responders.map((subscription) => subscription.drain()));
    this.consumers.length = 0;
  }

  on(): never {
    throw new Error('JetStreamServer does not emit events');
  }

  unwrap<T>(): T {
    return this.nats.connection as T;
  }

  /** Runs a Nest handler and resolves with its result, or rejects with its error. */
  async invoke(handler: MessageHandler, data: unknown, context: object): Promise<unknown> {
    return lastValueFrom(this.transformToObservable(await handler(data, context)), { defaultValue: undefined });
  }

  private async startConsumer(type: string, handler: MessageHandler): Promise<void> {
    const definition = EVENT_CATALOG.get(type);
    if (!definition) throw new Error(`@EventPattern('${type}') does not name an event in the contracts catalogue`);
    const options: ConsumerOptions = { ...this.defaults, ...(handler.extras as Partial<ConsumerOptions> | undefined) };
    const stream = streamForContext(definition.context).name;
    const name = `${this.nats.serviceName}-${type.replaceAll('.', '-')}`;
    await this.declareConsumer(stream, name, definition, options);

    const consumer = await this.nats.jetstream().consumers.get(stream, name);
    const messages = await consumer.consume({ max_messages: options.concurrency });
    const limit = new ConcurrencyLimit(options.concurrency);
    const done = (async () => {
      for await (const message of messages) {
        await limit.acquire();
        this.track(this.process(message, name, definition, handler, options).finally(() => limit.release()));
      }
    })();
    this.consumers.push({ name, messages, done });
    this.logger.log(`Consuming ${definition.allVersionsSubject} from ${stream} as ${name}`);
  }

  private async declareConsumer(stream: string, name: string, definition: EventDefinition<unknown>, options: ConsumerOptions): Promise<void> {
    const jsm = await this.nats.jetstreamManager();
    const updatable = {
      max_ack_pending: options.maxAckPending,
      ack_wait: options.ackWaitMs * 1_000_000,
      max_deliver: -1,
    };
    try {
      await jsm.consumers.info(stream, name);
      await jsm.consumers.update(stream, name, updatable);
    } catch (error) {
      if (!(error instanceof JetStreamApiError) || error.status !== 404) throw error;
      await jsm.consumers.add(stream, {
        ...updatable,
        durable_name: name,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        filter_subject: definition.allVersionsSubject,
      });
    }
  }

  private async process(message: JsMsg, consumer: string, definition: EventDefinition<unknown>, handler: MessageHandler, options: ConsumerOptions): Promise<void> {
    const context = new JetStreamContext([message, consumer]);
    try {
      const envelope = definition.parse(decodeEnvelope(message.data));
      await this.invoke(handler, envelope, context);
      message.ack();
    } catch (error) {
      this.onFailure(message, consumer, error, options);
    }
  }

  private onFailure(message: JsMsg, consumer: string, error: unknown, options: ConsumerOptions): void {
    const attempt = message.info.deliveryCount;
    const permanent = error instanceof ContractViolation;
    // A message is never acked on failure: it stays in the stream and comes back later.
    const delay = permanent ? options.retryMaxDelayMs : redeliveryDelay(attempt, options);
    this.logger.error(
      `${consumer} failed on ${message.subject} #${message.seq} (attempt ${attempt}, ${permanent ? 'permanent' : 'transient'}); redelivering in ${delay} ms: ${describe(error)}`,
    );
    message.nak(delay);
  }

  private track(task: Promise<void>): void {
    this.inFlight.add(task);
    void task.finally(() => this.inFlight.delete(task));
  }
}

/** Errors arrive as thrown, or as the plain `{ message }` objects NestJS's RPC exception filter makes of them. */
function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}
