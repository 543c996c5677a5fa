import { Msg, MsgHdrs, Subscription } from '@nats-io/transport-node';
import { Logger } from '@nestjs/common';
import { MessageHandler } from '@nestjs/microservices';
import { CallerTokenVerifier, VerifiedCaller } from '@orders/caller-tokens';
import { HEADERS, QUERY_CATALOG, QUERY_ERROR_CODES, queryErrorSchema, QueryReply } from '@orders/contracts';
import { Deadline } from '@orders/request-context';
import { inSpan, MESSAGING_ATTRIBUTES, SpanKind, traceContextOf } from '@orders/tracing';
import { z } from 'zod';
import { logContextOfHeaders, withLogContext } from '../logging/log-context';
import { NatsConnectionManager } from '../nats/nats-connection';
import { QueryFailure } from './query-failure';

/** What a query handler gets besides the request: `@Ctx() context: QueryContext`. */
export interface QueryContext {
  subject: string;
  headers?: MsgHdrs;
  /** Who the query is asked for, as the gateway's caller token proves: never a field of the request. */
  caller: VerifiedCaller;
}

interface HandlerInvoker {
  invoke(handler: MessageHandler, data: unknown, context: object): Promise<unknown>;
}

/**
 * Answers one query subject in the service's queue group, so replicas share the load. A request
 * whose `x-deadline` has passed by the time it is read is answered DEADLINE_EXCEEDED without
 * running the handler: its caller has stopped waiting (ADR 0007). One without a valid caller
 * token in its `authorization` header is answered UNAUTHENTICATED (ADR 0011).
 */
export class QueryResponder {
  private readonly logger = new Logger(QueryResponder.name);
  private readonly codec = { encode: (reply: QueryReply<unknown>) => new TextEncoder().encode(JSON.stringify(reply)) };

  constructor(
    private readonly nats: NatsConnectionManager,
    private readonly subject: string,
    private readonly handler: MessageHandler,
    private readonly invoker: HandlerInvoker,
    private readonly callers: CallerTokenVerifier,
  ) {}

  subscribe(): Subscription {
    const definition = QUERY_CATALOG.get(this.subject);
    if (!definition) throw new Error(`@MessagePattern('${this.subject}') does not name a query in the contracts catalogue`);
    return this.nats.connection.subscribe(this.subject, {
      queue: this.nats.serviceName,
      callback: (error, message) => {
        if (error) return this.logger.error(`Subscription to ${this.subject} failed: ${error.message}`);
        void withLogContext(logContextOfHeaders(message.headers), () => inSpan(this.serverSpan(message), () => this.answer(message, definition.request)));
      },
    });
  }

  /** A child of the asking client's span. */
  private serverSpan(message: Msg) {
    return {
      name: `${this.subject} process`,
      kind: SpanKind.SERVER,
      parent: traceContextOf((name) => message.headers?.get(name) || undefined),
      attributes: { [MESSAGING_ATTRIBUTES.system]: 'nats', [MESSAGING_ATTRIBUTES.destination]: this.subject, [MESSAGING_ATTRIBUTES.consumerGroup]: this.nats.serviceName },
    };
  }

  private async answer(message: Msg, requestSchema: z.ZodType): Promise<void> {
    const reply = await this.reply(message, requestSchema);
    message.respond(this.codec.encode(reply));
  }

  private async reply(message: Msg, requestSchema: z.ZodType): Promise<QueryReply<unknown>> {
    const deadline = Deadline.parse(message.headers?.get(HEADERS.deadline));
    if (deadline?.isExpired()) {
      const overdue = `its deadline passed ${deadline.overdueMs()} ms before it was read`;
      this.logger.warn(`Refused ${this.subject} (request ${message.headers?.get(HEADERS.requestId) || 'without id'}): ${overdue}`);
      return failure(QUERY_ERROR_CODES.deadlineExceeded, `Not answered: ${overdue}`);
    }
    const caller = this.callers.callerOf(message.headers?.get(HEADERS.authorization));
    if (!caller) {
      this.logger.warn(`Refused ${this.subject} (request ${message.headers?.get(HEADERS.requestId) || 'without id'}): no valid caller token`);
      return failure(QUERY_ERROR_CODES.unauthenticated, 'Not answered: the query does not carry a valid caller token');
    }
    let request: unknown;
    try {
      request = requestSchema.parse(message.json());
    } catch (error) {
      return failure(QUERY_ERROR_CODES.invalidRequest, `Invalid ${this.subject} request: ${error instanceof z.ZodError ? z.prettifyError(error) : 'not JSON'}`);
    }
    try {
      const context: QueryContext = { subject: this.subject, headers: message.headers, caller };
      return { ok: true, data: await this.invoker.invoke(this.handler, request, context) };
    } catch (error) {
      // Handler errors reach us either as thrown or as the `{ code, message }` NestJS's RPC filter extracted from a QueryFailure.
      const answered = queryErrorSchema.safeParse(error instanceof QueryFailure ? error.getError() : error);
      if (answered.success) return failure(answered.data.code, answered.data.message);
      this.logger.error(`${this.subject} failed: ${error instanceof Error ? error.stack : String(error)}`);
      return failure(QUERY_ERROR_CODES.internal, 'The query failed');
    }
  }
}

function failure(code: string, message: string): QueryReply<never> {
  return { ok: false, error: { code, message } };
}
