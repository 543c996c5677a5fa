import { errors, headers as natsHeaders } from '@nats-io/transport-node';
import { Injectable } from '@nestjs/common';
import { QueryDefinition, queryErrorSchema } from '@orders/contracts';
import { z } from 'zod';
import { NatsConnectionManager } from '../nats/nats-connection';
import { QueryErrorCode, QueryFailure } from './query-failure';

export interface QueryOptions {
  timeoutMs?: number;
  headers?: Record<string, string>;
}

const DEFAULT_TIMEOUT_MS = 5_000;

const replySchema = z.union([
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: queryErrorSchema }),
]);

/** Asks another service a question over NATS request/reply, with a timeout, and validates the answer. */
@Injectable()
export class QueryClient {
  constructor(private readonly nats: NatsConnectionManager) {}

  async request<TRequest, TResponse>(query: QueryDefinition<TRequest, TResponse>, payload: TRequest, options: QueryOptions = {}): Promise<TResponse> {
    const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const headers = natsHeaders();
    for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);
    let raw: unknown;
    try {
      const message = await this.nats.connection.request(query.subject, JSON.stringify(query.request.parse(payload)), { timeout, headers });
      raw = message.json();
    } catch (error) {
      throw new QueryFailure(transportErrorCode(error), `${query.subject}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const reply = replySchema.parse(raw);
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
