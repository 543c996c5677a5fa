import { QUERY_ERROR_CODES } from '@orders/contracts';

export type QueryErrorCode = (typeof QUERY_ERROR_CODES)[keyof typeof QUERY_ERROR_CODES] | 'UNAVAILABLE';

/** A query that was answered with an error, did not get an answer in time, or had nobody to answer it. */
export class QueryFailure extends Error {
  constructor(
    readonly code: QueryErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'QueryFailure';
  }
}
