/** Header names shared by HTTP and NATS hops. */
export const HEADERS = {
  requestId: 'x-request-id',
  correlationId: 'x-correlation-id',
  traceparent: 'traceparent',
  /** Set by the gateway after verifying the caller's token; services trust it only from the internal network. */
  userId: 'x-user-id',
  userRoles: 'x-user-roles',
  idempotencyKey: 'idempotency-key',
  eventType: 'x-event-type',
  eventVersion: 'x-event-version',
  /**
   * When the original caller stops waiting, in milliseconds since the Unix epoch. Set by the
   * gateway, passed on by every hop, never extended (ADR 0007).
   */
  deadline: 'x-deadline',
} as const;
