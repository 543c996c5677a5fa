import { ApiErrorCase, RATE_LIMIT_HEADERS, RETRY_AFTER_HEADER } from './openapi-objects';

/** The ways a request to the gateway fails, as the OpenAPI document shows them. */
export const API_ERRORS = {
  validationFailed: {
    status: 400,
    code: 'VALIDATION_FAILED',
    message: 'The request is invalid',
    details: [{ path: 'items.0.quantity', message: 'Too small: expected number to be >=1' }],
    when: 'a parameter or the body breaks its schema; `details` lists every problem with its path.',
  },
  malformedJson: {
    status: 400,
    code: 'MALFORMED_JSON',
    message: 'The request body is not a valid JSON object or array: Unexpected end of JSON input',
    when: 'the body cannot be parsed as JSON.',
  },
  idempotencyKeyRequired: {
    status: 400,
    code: 'IDEMPOTENCY_KEY_REQUIRED',
    message: 'This request requires an Idempotency-Key header',
    when: 'the Idempotency-Key header is missing or blank.',
  },
  invalidIdempotencyKey: {
    status: 400,
    code: 'INVALID_IDEMPOTENCY_KEY',
    message: 'The Idempotency-Key header is 1-200 letters, digits, "_", "-", ":" or "."',
    when: 'the Idempotency-Key header is malformed, or sent twice.',
  },
  invalidCursor: {
    status: 400,
    code: 'INVALID_CURSOR',
    message: 'The cursor is not one a previous page returned',
    when: '`cursor` is not a `nextCursor` this API returned.',
  },
  unauthenticated: {
    status: 401,
    code: 'UNAUTHENTICATED',
    message: 'A valid bearer token is required',
    when: 'the bearer token is missing, malformed, expired or not issued by this platform.',
    headers: { 'WWW-Authenticate': { description: 'Always `Bearer`.', schema: { type: 'string' }, example: 'Bearer' } },
  },
  forbidden: {
    status: 403,
    code: 'FORBIDDEN',
    message: 'This requires the ops role',
    when: 'the caller lacks the `ops` role.',
  },
  orderNotFound: {
    status: 404,
    code: 'ORDER_NOT_FOUND',
    message: 'No such order',
    when: 'there is no such order, or it is someone else’s (the two are indistinguishable).',
  },
  deadLetterNotFound: {
    status: 404,
    code: 'DEAD_LETTER_NOT_FOUND',
    message: 'There is no dead letter 42',
    when: 'there is no dead letter with this id (any more).',
  },
  skuNotFound: {
    status: 404,
    code: 'SKU_NOT_FOUND',
    message: 'There is no SKU SKU-UNKNOWN',
    when: 'the catalogue has no product with this SKU.',
  },
  orderAlreadyCancelled: {
    status: 409,
    code: 'ORDER_ALREADY_CANCELLED',
    message: 'Order 0b8e4c52-8a3f-4f53-9d7a-6f1e2c9b7a10 was already cancelled (PAYMENT_DECLINED)',
    details: { cancellationReason: 'PAYMENT_DECLINED' },
    when: 'the order was cancelled for another reason before; `details.cancellationReason` says which.',
  },
  payloadTooLarge: {
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    message: 'The request body is larger than the 16384 bytes accepted',
    when: 'the body is larger than the gateway accepts.',
  },
  unsupportedMediaType: {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'Request bodies must be application/json',
    when: 'the body is not `application/json` in UTF-8.',
  },
  idempotencyKeyReused: {
    status: 422,
    code: 'IDEMPOTENCY_KEY_REUSED',
    message: 'This Idempotency-Key was already used for a different request',
    when: 'the Idempotency-Key was used before with a different body.',
  },
  rateLimited: {
    status: 429,
    code: 'RATE_LIMITED',
    message: 'Too many requests; try again in 12 s',
    details: { limit: 600, retryAfterSeconds: 12 },
    when: "the caller's bucket is empty; nothing was done for the request. Wait `Retry-After` seconds.",
    headers: { ...RETRY_AFTER_HEADER, ...RATE_LIMIT_HEADERS },
  },
  atCapacity: {
    status: 503,
    code: 'AT_CAPACITY',
    message: 'Orders are arriving faster than they can be completed; the request was not processed, try again shortly with the same Idempotency-Key',
    details: { retryAfterSeconds: 1 },
    when: 'admission control: the sagas already running are all the platform can absorb. The request was not processed (nothing was stored for it); retry after `Retry-After` seconds with the same Idempotency-Key.',
    headers: RETRY_AFTER_HEADER,
  },
  upstreamUnavailable: {
    status: 503,
    code: 'UPSTREAM_UNAVAILABLE',
    message: 'A service needed for this request is unavailable; try again later',
    when: 'a service behind the gateway cannot be reached; safe to retry later.',
  },
  upstreamTimeout: {
    status: 504,
    code: 'UPSTREAM_TIMEOUT',
    message: 'A service needed for this request did not answer in time',
    when: 'a service behind the gateway did not answer in time; a command may still take effect, so retry with the same Idempotency-Key.',
  },
} satisfies Record<string, ApiErrorCase>;

/** What can go wrong with any route that needs an access token. */
export const AUTHENTICATED_ROUTE_ERRORS: ApiErrorCase[] = [API_ERRORS.unauthenticated, API_ERRORS.rateLimited];

/** What can go wrong with any route answered by a service behind the gateway. */
export const UPSTREAM_ERRORS: ApiErrorCase[] = [API_ERRORS.upstreamUnavailable, API_ERRORS.upstreamTimeout];

/** What can go wrong with any operators' route, which works the dead-letter queue or asks inventory-service over NATS. */
export const ADMIN_ROUTE_ERRORS: ApiErrorCase[] = [API_ERRORS.validationFailed, API_ERRORS.forbidden, ...AUTHENTICATED_ROUTE_ERRORS, API_ERRORS.upstreamUnavailable];

/** What can go wrong with any JSON request body before its content is looked at. */
export const JSON_BODY_ERRORS: ApiErrorCase[] = [API_ERRORS.malformedJson, API_ERRORS.payloadTooLarge, API_ERRORS.unsupportedMediaType];
