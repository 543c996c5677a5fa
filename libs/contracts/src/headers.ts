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
} as const;
