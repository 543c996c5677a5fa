import { z } from 'zod';

/**
 * A request/reply query over core NATS. Replies are `{ ok: true, data }` or
 * `{ ok: false, error: { code, message } }`; both sides validate with these schemas.
 */
export class QueryDefinition<TRequest, TResponse> {
  constructor(
    readonly subject: string,
    readonly request: z.ZodType<TRequest>,
    readonly response: z.ZodType<TResponse>,
  ) {}
}

export function defineQuery<TRequestSchema extends z.ZodType, TResponseSchema extends z.ZodType>(
  subject: string,
  request: TRequestSchema,
  response: TResponseSchema,
): QueryDefinition<z.output<TRequestSchema>, z.output<TResponseSchema>> {
  return new QueryDefinition<z.output<TRequestSchema>, z.output<TResponseSchema>>(
    subject,
    request as z.ZodType<z.output<TRequestSchema>>,
    response as z.ZodType<z.output<TResponseSchema>>,
  );
}

export type QueryRequest<T> = T extends QueryDefinition<infer TRequest, unknown> ? TRequest : never;
export type QueryResponse<T> = T extends QueryDefinition<unknown, infer TResponse> ? TResponse : never;

export const queryErrorSchema = z.object({ code: z.string(), message: z.string() });
export type QueryErrorBody = z.infer<typeof queryErrorSchema>;

export type QueryReply<T> = { ok: true; data: T } | { ok: false; error: QueryErrorBody };

/** Error codes a query handler may answer with; anything else is reported as INTERNAL. */
export const QUERY_ERROR_CODES = {
  notFound: 'NOT_FOUND',
  invalidRequest: 'INVALID_REQUEST',
  /** A page cursor no page handed out: a refusal like INVALID_REQUEST, named as the HTTP API names it. */
  invalidCursor: 'INVALID_CURSOR',
  /** The caller token is valid but lacks the role the request needs. */
  forbidden: 'FORBIDDEN',
  /** The query carried no valid caller token: a fault of the asking app, never of a client. */
  unauthenticated: 'UNAUTHENTICATED',
  deadlineExceeded: 'DEADLINE_EXCEEDED',
  internal: 'INTERNAL',
} as const;
