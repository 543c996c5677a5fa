import { errors, headers as natsHeaders } from '@nats-io/transport-node';
import { Injectable } from '@nestjs/common';
import { HEADERS, QUERY_ERROR_CODES, QueryDefinition, queryErrorSchema } from '@orders/contracts';
import { Deadline, DeadlineExceeded } from '@orders/request-context';
import { inSpan, MESSAGING_ATTRIBUTES, SpanKind, traceHeaders } from '@orders/tracing';
import { z } from 'zod';
import { NatsConnectionManager } from '../nats/nats-connection';
import { QueryErrorCode, QueryFailure } from './query-failure';

export interface QueryOptions {
  /** The longest this query may take, whatever time the caller has left. */
  timeoutMs?: number;
  /** When the caller stops waiting: the query is not sent after it and not waited for beyond it. */
  deadline?: Deadline;
  headers?: Record<string, string>;
}

const DEFAULT_TIMEOUT_MS = 5_000;

const replySchema = z.union([z.object({ ok: z.literal(true), data: z.unknown() }), z.object({ ok: z.literal(false), error: queryErrorSchema })]);

/**
 * Asks another service a question over NATS request/reply and validates the answer. It waits
 * until its timeout or the caller's deadline, whichever comes first, and sends that moment as
 * the request's `x-deadline` so the responder can refuse the request once nobody waits for it.
 *
 * Rejects with DeadlineExceeded when the caller's deadline passed (before sending, while
 * waiting, or by the responder's account), otherwise with a QueryFailure: DEADLINE_EXCEEDED
 * when its own timeout ran out, UNAVAILABLE when nobody could answer, or the code the responder
 * answered with.
 */
@Injectable()
export class QueryClient {
  constructor(private readonly nats: NatsConnectionManager) {}

  request<TRequest, TResponse>(query: QueryDefinition<TRequest, TResponse>, payload: TRequest, options: QueryOptions = {}): Promise<TResponse> {
    const span = {
      name: `${query.subject} request`,
      kind: SpanKind.CLIENT,
      attributes: { [MESSAGING_ATTRIBUTES.system]: 'nats', [MESSAGING_ATTRIBUTES.destination]: query.subject },
    };
    return inSpan(span, () => this.ask(query, payload, options));
  }

  private async ask<TRequest, TResponse>(query: QueryDefinition<TRequest, TResponse>, payload: TRequest, options: QueryOptions): Promise<TResponse> {
    const ownDeadline = Deadline.after(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const deadline = ownDeadline.earliest(options.deadline);
    const callerGivesUpFirst = deadline !== ownDeadline;
    const timeout = deadline.remainingMs();
    if (timeout === 0) throw new DeadlineExceeded(`${query.subject}: not asked, the caller's deadline has passed`);

    const headers = natsHeaders();
    // The responder's span continues this request's trace.
    for (const [name, value] of Object.entries({ ...options.headers, ...traceHeaders() })) headers.set(name, value);
    headers.set(HEADERS.deadline, deadline.toHeader());
    let raw: unknown;
    try {
      const message = await this.nats.connection.request(query.subject, JSON.stringify(query.request.parse(payload)), { timeout, headers });
      raw = message.json();
    } catch (error) {
      const code = transportErrorCode(error);
      if (code === QUERY_ERROR_CODES.deadlineExceeded && callerGivesUpFirst) {
        throw new DeadlineExceeded(`${query.subject}: no answer within the ${timeout} ms left before the caller's deadline`);
      }
      throw new QueryFailure(code, `${query.subject}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const reply = replySchema.parse(raw);
    if (!reply.ok && reply.error.code === QUERY_ERROR_CODES.deadlineExceeded && callerGivesUpFirst) throw new DeadlineExceeded(`${query.subject}: ${reply.error.message}`);
    if (!reply.ok) throw new QueryFailure(reply.error.code as QueryErrorCode, reply.error.message);
    return query.response.parse(reply.data);
  }
}

function transportErrorCode(error: unknown): QueryErrorCode {
  if (error instanceof errors.TimeoutError || (error instanceof errors.RequestError && error.cause instanceof errors.TimeoutError)) {
    return 'DEADLINE_EXCEEDED';
  }
  return 'UNAVAILABLE';
}
