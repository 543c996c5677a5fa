import { RpcException } from '@nestjs/microservices';
import { QUERY_ERROR_CODES } from '@orders/contracts';

export type QueryErrorCode = (typeof QUERY_ERROR_CODES)[keyof typeof QUERY_ERROR_CODES] | 'UNAVAILABLE';

/**
 * A query that was answered with an error, did not get an answer in time, or had
 * nobody to answer it. An RpcException, so NestJS's exception filters pass its
 * `{ code, message }` through to the responder instead of hiding it.
 */
export class QueryFailure extends RpcException {
  constructor(
    readonly code: QueryErrorCode,
    message: string,
  ) {
    super({ code, message });
    this.message = message;
    this.name = 'QueryFailure';
  }
}
