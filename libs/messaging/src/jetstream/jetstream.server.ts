import { AckPolicy, ConsumerMessages, DeliverPolicy, JetStreamApiCodes, JetStreamApiError, JsMsg } from '@nats-io/jetstream';
import { Subscription } from '@nats-io/transport-node';
import { Logger } from '@nestjs/common';
import { CallerTokenVerifier } from '@orders/caller-tokens';
import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { decodeEnvelope, EVENT_CATALOG, EventDefinition, streamForContext } from '@orders/contracts';
import { HANDLER_START_EVENT, HrTime, inSpan, markFailed, MESSAGING_ATTRIBUTES, orderAttributes, Span, SpanKind, SpanSpec, spanClock, traceContextOf } from '@orders/tracing';
import { lastValueFrom } from 'rxjs';
import { DataSource } from 'typeorm';
import { DeadLetterKind, DeadLetters, DeliveryFailure } from '../dead-letters/dead-letters';
import { extendLogContext, logContextOfHeaders, withLogContext } from '../logging/log-context';
import { NatsConnectionManager } from '../nats/nats-connection';
import { retryThroughNatsRestart } from '../nats/nats-restart';
import { THIS_REPLICA } from '../nats/replica';
import { QueryResponder } from '../query/query-responder';
import { AckBatch } from './ack-batch';
import { CompensationLane } from './compensation-lane';
import { ConcurrencyLimit } from './concurrency-limit';
import { ConsumerPause } from './consumer-pause';
import {
  CompensationLaneOptions,
  ConsumerOptions,
  DEFAULT_COMPENSATION_LANE_OPTIONS,
  DEFAULT_CONSUMER_OPTIONS,
  pullOptions,
  redeliveryDelay,
  retryDelay,
} from './consumer-options';
import { durableConsumerName } from './consumer-states';
import { DeliveryFailures, DeliveryOf } from './delivery-failures';
import { describeError, isDependencyUnavailable, isPermanentFailure, isPrecedingEventMissing, requestedRetryDelayMs } from './handler-failure';
import { HandlingOutcome, MessageHandlingObserver } from './handling-observer';
import { JetStreamContext } from './jetstream.context';

export interface JetStreamServerOptions {
  /** Settings of every consumer; a handler's `@OnEvent` options override them. */
  consumerDefaults: Partial<ConsumerOptions>;
  compensationLane: Partial<CompensationLaneOptions>;
  /**
   * The service's database, where the compensation lane counts its starts so that its rate is one
   * limit for all replicas (without it each process counts its own), and where consumers record
   * failed deliveries for the dead letter's history (without it a dead letter has none).
   */
  database?: DataSource;
  /** The events handlers can subscribe to, by type. */
  catalog: ReadonlyMap<string, EventDefinition<unknown>>;
  /** Told the outcome of every delivery (the app's metrics). */
  observer?: MessageHandlingObserver;
  /** Verifies the caller token every query must carry; without it the app answers no queries. */
  callers?: CallerTokenVerifier;
  /** How this process names itself in the failed deliveries it records; by default its host and process id. */
  replica: string;
}

/** One `@OnEvent` handler and the durable consumer that feeds it. */
interface EventConsumer {
  name: string;
  definition: EventDefinition<unknown>;
  handler: MessageHandler;
  options: ConsumerOptions;
  pause: ConsumerPause;
}

interface RunningConsumer {
  name: string;
  messages: ConsumerMessages;
  pause: ConsumerPause;
  done: Promise<void>;
}

/**
 * NestJS transport over NATS JetStream. Every `@EventPattern(type)` handler gets its
 * own durable pull consumer, named after the service and event type, so services
 * fan out (one consumer each) while replicas of one service share it (load
 * balancing). Messages are acked only after the handler succeeded. Transient
 * failures are redelivered with backoff; permanent ones, and messages that used up
 * their deliveries, go to the dead-letter queue, and only once it holds them is the
 * original acked. A handler that fails because a dependency is unavailable (an open
 * circuit, a full bulkhead) spends no delivery: its message is held in the process
 * and run again, and the consumer starts nothing new meanwhile. `@MessagePattern(subject)`
 * handlers answer core NATS requests in a queue group.
 */
export class JetStreamServer extends Server implements CustomTransportStrategy {
  override readonly propagatesEventHandlerErrors = true;
  protected override readonly logger = new Logger(JetStreamServer.name);
  private readonly consumers: RunningConsumer[] = [];
  private readonly responders: Subscription[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly acks = new AckBatch();
  private readonly consumerDefaults: ConsumerOptions;
  private readonly catalog: ReadonlyMap<string, EventDefinition<unknown>>;
  private readonly compensationLane: CompensationLane;
  private readonly deadLetters: DeadLetters;
  private readonly deliveryFailures?: DeliveryFailures;
  private readonly replica: string;
  private readonly observer?: MessageHandlingObserver;
  private readonly callers?: CallerTokenVerifier;
  private closing = false;

  constructor(
    private readonly nats: NatsConnectionManager,
    options: Partial<JetStreamServerOptions> = {},
  ) {
    super();
    this.consumerDefaults = { ...DEFAULT_CONSUMER_OPTIONS, ...options.consumerDefaults };
    this.catalog = options.catalog ?? EVENT_CATALOG;
    this.compensationLane = new CompensationLane(
      { ...DEFAULT_COMPENSATION_LANE_OPTIONS, ...options.compensationLane },
      options.database && { database: options.database, key: `${nats.serviceName}-compensations` },
    );
    this.deadLetters = new DeadLetters(nats);
    this.deliveryFailures = options.database && new DeliveryFailures(options.database);
    this.replica = options.replica ?? THIS_REPLICA;
    this.observer = options.observer;
    this.callers = options.callers;
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      await this.nats.connect();
      // A service starting while NATS restarts waits for it, as a running one does, rather than exiting.
      await retryThroughNatsRestart(this.logger, 'Setting up the streams').execute(() => this.nats.ensureStreams());
      for (const [pattern, handler] of this.messageHandlers) {
        if (handler.isEventHandler) await retryThroughNatsRestart(this.logger, `Starting the consumer of ${pattern}`).execute(() => this.startConsumer(pattern, handler));
        else this.responders.push(new QueryResponder(this.nats, pattern, handler, this, this.callersOf(pattern)).subscribe());
      }
      callback();
    } catch (error) {
      callback(error);
    }
  }

  /**
   * Stops pulling, lets running handlers finish (messages still waiting for their turn, or held
   * while a dependency is unavailable, go back) and sends their acks, then stops answering queries.
   */
  async close(): Promise<void> {
    this.closing = true;
    for (const consumer of this.consumers) {
      consumer.pause.close();
      consumer.messages.stop();
    }
    await Promise.allSettled(this.consumers.map((consumer) => consumer.done));
    await Promise.allSettled([...this.inFlight]);
    this.acks.flush();
    await Promise.allSettled(this.responders.map((subscription) => subscription.drain()));
    this.consumers.length = 0;
  }

  private callersOf(subject: string): CallerTokenVerifier {
    if (!this.callers) throw new Error(`@MessagePattern('${subject}') answers queries for callers, but the app was given no caller token verifier`);
    return this.callers;
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
    const definition = this.catalog.get(type);
    if (!definition) throw new Error(`@EventPattern('${type}') does not name an event in the contracts catalogue`);
    const options: ConsumerOptions = { ...this.consumerDefaults, ...(handler.extras as Partial<ConsumerOptions> | undefined) };
    const consumer: EventConsumer = {
      name: durableConsumerName(this.nats.serviceName, type),
      definition,
      handler,
      options,
      pause: new ConsumerPause(options.ackWaitMs / 2),
    };
    const stream = streamForContext(definition.context).name;
    await this.declareConsumer(stream, consumer);

    const messages = await (await this.nats.jetstream().consumers.get(stream, consumer.name)).consume(pullOptions(consumer.options));
    const limit = new ConcurrencyLimit(consumer.options.concurrency);
    const done = (async () => {
      for await (const message of messages) {
        // Its span starts now, so it shows how long the message waits for a free slot.
        const received = spanClock();
        await limit.acquire();
        // Every line logged while the message is handled, the handler's own included, carries its correlation id.
        this.track(withLogContext(logContextOfHeaders(message.headers), () => this.observe(message, consumer, received)).finally(() => limit.release()));
      }
    })();
    this.consumers.push({ name: consumer.name, messages, pause: consumer.pause, done });
    this.logger.log(`Consuming ${definition.allVersionsSubject} from ${stream} as ${consumer.name} (${consumer.options.lane} lane)`);
  }

  /**
   * Creates the consumer, or brings the settings of an existing one up to date. Replicas that
   * start together race: each finds no consumer and creates it. nats-server 2.10+ refuses a
   * create whose settings differ from those of the consumer a faster replica just created
   * ("consumer already exists"), so the slower replica updates it instead, and the settings of
   * whichever declaration came last stand, as they do for replicas that start one by one.
   */
  private async declareConsumer(stream: string, consumer: EventConsumer): Promise<void> {
    const jsm = await this.nats.jetstreamManager();
    const updatable = {
      max_ack_pending: consumer.options.maxAckPending,
      ack_wait: consumer.options.ackWaitMs * 1_000_000,
      // We decide when to give up (dead-lettering), so the server never silently stops redelivering.
      max_deliver: -1,
    };
    try {
      await jsm.consumers.update(stream, consumer.name, updatable);
      return;
    } catch (error) {
      if (!isJetStreamError(error, JetStreamApiCodes.ConsumerNotFound)) throw error;
    }
    try {
      await jsm.consumers.add(stream, {
        ...updatable,
        durable_name: consumer.name,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        filter_subject: consumer.definition.allVersionsSubject,
      });
    } catch (error) {
      if (!CONSUMER_EXISTS_CODES.some((code) => isJetStreamError(error, code))) throw error;
      await jsm.consumers.update(stream, consumer.name, updatable);
    }
  }

  private async observe(message: JsMsg, consumer: EventConsumer, received: HrTime): Promise<void> {
    const started = performance.now();
    const outcome = await inSpan(consumerSpan(message, consumer, received), async (span) => {
      const outcome = await this.process(message, consumer, span);
      if (outcome === 'retry' || outcome === 'dead_lettered') markFailed(span, outcome);
      return outcome;
    });
    if (outcome) this.observer?.handled({ consumer: consumer.name, type: consumer.definition.type, outcome, durationMs: performance.now() - started });
  }

  /** Resolves with what became of the message, or nothing when shutdown gave it back unhandled. */
  private async process(message: JsMsg, consumer: EventConsumer, span: Span): Promise<HandlingOutcome | undefined> {
    const attempt = message.info.deliveryCount;
    const { maxDeliveries, precedingEventWaitMs } = consumer.options;
    // Past the limit, a message is either waiting for a preceding event (allowed until it is
    // that old) or its earlier deliveries never reported a failure: the handler crashed its
    // process or outlived the ack wait.
    if (attempt > maxDeliveries && ageMs(message) >= precedingEventWaitMs) {
      const error = `Delivered ${attempt} times (at most ${maxDeliveries} allowed) without being acknowledged; the handler crashed or timed out`;
      return this.deadLetter(message, consumer, 'exhausted', error);
    }
    try {
      const started = performance.now();
      const envelope = consumer.definition.parse(decodeEnvelope(message.data));
      // The envelope, not a header, is the event's own record of what it belongs to.
      extendLogContext({ correlationId: envelope.correlationId, eventId: envelope.id, eventType: envelope.type });
      span.setAttributes(orderAttributes(envelope.data));
      const run = await this.runThroughOutages(message, consumer, envelope, span);
      if (run !== 'handled') {
        // Shutdown began before its turn came, or while it was held: another replica (or this one, restarted) takes it.
        message.nak();
        // A held message failed and comes back later; one that never started has no outcome.
        return run === 'handed-back' ? 'retry' : undefined;
      }
      this.acks.add(message);
      // Formatting the line would cost on every event even with the level off.
      if (Logger.isLevelEnabled('log')) this.logger.log(`Handled ${envelope.type} ${envelope.id} in ${Math.round(performance.now() - started)} ms`);
      return 'ok';
    } catch (error) {
      return this.onFailure(message, consumer, error);
    }
  }

  /**
   * Runs the handler once the consumer's pause is over. A failure because a dependency is
   * unavailable holds the message and pauses the consumer, then runs the handler again: the
   * outage spends none of the message's deliveries, and messages that would fail the same way
   * wait instead of starting.
   */
  private async runThroughOutages(message: JsMsg, consumer: EventConsumer, envelope: unknown, span: Span): Promise<'handled' | 'not-started' | 'handed-back'> {
    for (let holds = 0; ; holds++) {
      const givenBack = holds === 0 ? 'not-started' : 'handed-back';
      if (!(await consumer.pause.over(message))) return givenBack;
      const context = new JetStreamContext([message, consumer.name, holds > 0]);
      try {
        const ran = await this.inLane(message, consumer, async () => {
          if (this.closing) return false;
          span.addEvent(HANDLER_START_EVENT, spanClock());
          await this.invoke(consumer.handler, envelope, context);
          return true;
        });
        return ran ? 'handled' : givenBack;
      } catch (error) {
        if (!isDependencyUnavailable(error)) throw error;
        this.hold(message, consumer, holds + 1, error);
      }
    }
  }

  /** Pauses the consumer for the breaker's remaining open time, or a backoff that grows with the holds (e.g. for a full bulkhead). */
  private hold(message: JsMsg, consumer: EventConsumer, holds: number, error: unknown): void {
    const delay = retryDelay(holds, consumer.options, { waiting: false, requestedMs: requestedRetryDelayMs(error) });
    consumer.pause.extend(delay);
    this.logger.warn(
      `${consumer.name} holds ${message.subject} #${message.seq} for ${delay} ms (hold ${holds}), spending no delivery and starting no other message meanwhile: ${describeError(error)}`,
    );
  }

  private inLane<T>(message: JsMsg, consumer: EventConsumer, task: () => Promise<T>): Promise<T> {
    if (consumer.options.lane === 'normal') return task();
    // Waiting for the lane is not being stuck: keep the server from redelivering the message meanwhile.
    return this.compensationLane.run(task, { everyMs: consumer.options.ackWaitMs / 2, tick: () => message.working() });
  }

  private async onFailure(message: JsMsg, consumer: EventConsumer, error: unknown): Promise<HandlingOutcome> {
    const attempt = message.info.deliveryCount;
    const { options } = consumer;
    const reason = describeError(error);
    if (isPermanentFailure(error)) return this.deadLetter(message, consumer, 'permanent', reason);
    const waiting = isPrecedingEventMissing(error) && ageMs(message) < options.precedingEventWaitMs;
    if (attempt >= options.maxDeliveries && !waiting) return this.deadLetter(message, consumer, 'exhausted', reason);
    // A message is never acked on failure: it stays in the stream and comes back later.
    const delay = retryDelay(attempt, options, { waiting, requestedMs: requestedRetryDelayMs(error) });
    this.logger.warn(`${consumer.name} failed on ${message.subject} #${message.seq} (attempt ${attempt} of ${options.maxDeliveries}); redelivering in ${delay} ms: ${reason}`);
    // Waiting for a preceding event is the normal course of events under load, not a failure worth a write.
    if (!waiting) await this.recordFailure(message, consumer, reason);
    message.nak(delay);
    return 'retry';
  }

  /** Acks the message only once the dead-letter queue holds it; otherwise it comes back and is dead-lettered then. */
  private async deadLetter(message: JsMsg, consumer: EventConsumer, kind: DeadLetterKind, error: string): Promise<HandlingOutcome> {
    const attempts = message.info.deliveryCount;
    const where = `${message.subject} #${message.seq}`;
    const delivery = deliveryOf(message, consumer);
    try {
      const history = await this.historyOf(message, delivery, error);
      const id = await this.deadLetters.record({
        subject: message.subject,
        data: message.data,
        headers: message.headers,
        stream: message.info.stream,
        streamSequence: message.seq,
        service: this.nats.serviceName,
        consumer: consumer.name,
        error,
        kind,
        attempts,
        history,
      });
      this.logger.error(`${consumer.name} dead-lettered ${where} as dead letter ${id} (${kind}, ${attempts} attempt(s)): ${error}`);
      this.acks.add(message);
      await this.deliveryFailures?.forget(delivery).catch((failure: unknown) => {
        this.logger.warn(`${consumer.name} could not delete the recorded failures of ${where}; the purge will: ${describeError(failure)}`);
      });
      return 'dead_lettered';
    } catch (failure) {
      const delay = redeliveryDelay(attempts, consumer.options);
      this.logger.error(`${consumer.name} could not dead-letter ${where} (${describeError(failure)}); redelivering in ${delay} ms. It failed with: ${error}`);
      await this.recordFailure(message, consumer, error);
      message.nak(delay);
      return 'retry';
    }
  }

  /** Recorded before the message can come back, so the delivery that dead-letters it finds every earlier one. */
  private async recordFailure(message: JsMsg, consumer: EventConsumer, error: string): Promise<void> {
    await this.deliveryFailures?.record(deliveryOf(message, consumer), this.failureOf(message, error)).catch((failure: unknown) => {
      this.logger.warn(`${consumer.name} could not record the failed delivery of ${message.subject} #${message.seq}; its dead letter will miss it: ${describeError(failure)}`);
    });
  }

  /**
   * The recorded failures and this last one; none in a service without a database. A dead letter
   * goes out with what could be read: an unreachable database must not hold it back.
   */
  private async historyOf(message: JsMsg, delivery: DeliveryOf, error: string): Promise<DeliveryFailure[] | undefined> {
    if (!this.deliveryFailures) return undefined;
    const earlier = await this.deliveryFailures.of(delivery).catch((failure: unknown) => {
      this.logger.warn(
        `${delivery.consumer} could not read the earlier failures of ${message.subject} #${message.seq}; its dead letter shows only the last: ${describeError(failure)}`,
      );
      return [];
    });
    return [...earlier, this.failureOf(message, error)];
  }

  private failureOf(message: JsMsg, error: string): DeliveryFailure {
    return { attempt: message.info.deliveryCount, failedAt: new Date().toISOString(), replica: this.replica, error };
  }

  private track(task: Promise<void>): void {
    this.inFlight.add(task);
    void task.catch((error: unknown) => this.logger.error(`Message processing broke down: ${describeError(error)}`)).finally(() => this.inFlight.delete(task));
  }
}

/**
 * A child of the span that published the message, so one trace follows an order from service to
 * service. It starts when the consume loop received the message, before the message waits for
 * the concurrency limit and the compensation lane; its HANDLER_START_EVENT marks the handler's start.
 */
function consumerSpan(message: JsMsg, consumer: EventConsumer, received: HrTime): SpanSpec {
  return {
    name: `${consumer.definition.type} process`,
    kind: SpanKind.CONSUMER,
    startTime: received,
    parent: traceContextOf((name) => message.headers?.get(name) || undefined),
    attributes: {
      [MESSAGING_ATTRIBUTES.system]: 'nats',
      [MESSAGING_ATTRIBUTES.destination]: message.subject,
      [MESSAGING_ATTRIBUTES.consumerGroup]: consumer.name,
      [MESSAGING_ATTRIBUTES.operation]: 'process',
    },
  };
}

/**
 * What nats-server answers a create of a durable consumer that another client has just created:
 * JSConsumerAlreadyExists (2.10+, a create whose settings differ) and JSConsumerNameExistErr
 * ("consumer name already in use", from the creation's own race inside the server). Neither
 * has a name in the client's JetStreamApiCodes.
 */
const CONSUMER_EXISTS_CODES: readonly number[] = [10148, 10013];

function isJetStreamError(error: unknown, code: number): boolean {
  return error instanceof JetStreamApiError && error.code === code;
}

function deliveryOf(message: JsMsg, consumer: EventConsumer): DeliveryOf {
  return { consumer: consumer.name, stream: message.info.stream, streamSequence: message.seq };
}

/** Time since the message was stored in its stream. */
function ageMs(message: JsMsg): number {
  return Date.now() - message.info.timestampNanos / 1_000_000;
}
