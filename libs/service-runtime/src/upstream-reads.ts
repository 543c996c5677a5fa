import { Injectable } from '@nestjs/common';
import { HEADERS, QueryDefinition } from '@orders/contracts';
import { QueryClient, QueryFailure } from '@orders/messaging';
import { CallerContext } from './caller';
import { ReadFailure } from './read-failure';

/** How long each query may take. */
export abstract class QuerySettings {
  abstract readonly timeoutMs: number;
}

/**
 * Asks other services' queries over NATS request/reply on behalf of a caller, passing on its
 * request and correlation ids; a query that fails rejects with a ReadFailure.
 */
@Injectable()
export class UpstreamReads {
  constructor(
    private readonly queries: QueryClient,
    private readonly settings: QuerySettings,
  ) {}

  async read<TRequest, TResponse>(query: QueryDefinition<TRequest, TResponse>, payload: TRequest, caller: CallerContext): Promise<TResponse> {
    try {
      return await this.queries.request(query, payload, {
        timeoutMs: this.settings.timeoutMs,
        headers: { [HEADERS.requestId]: caller.requestId, [HEADERS.correlationId]: caller.correlationId },
      });
    } catch (error) {
      if (error instanceof QueryFailure) throw ReadFailure.of(error);
      throw error;
    }
  }
}
