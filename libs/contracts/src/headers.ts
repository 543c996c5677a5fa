/** Header names shared by HTTP and NATS hops. */
export const HEADERS = {
  requestId: 'x-request-id',
  correlationId: 'x-correlation-id',
  traceparent: 'traceparent',
  /**
   * `Bearer <caller token>`: behind the gateway, the token the gateway signed for the verified
   * caller (ADR 0011), on HTTP requests and NATS queries alike.
   */
  authorization: 'authorization',
  idempotencyKey: 'idempotency-key',
  eventType: 'x-event-type',
  eventVersion: 'x-event-version',
  /**
   * When the original caller stops waiting, in milliseconds since the Unix epoch. Set by the
   * gateway, passed on by every hop, never extended (ADR 0007).
   */
  deadline: 'x-deadline',
} as const;
