/** Who is asking (as verified by the gateway) and the ids that tie the request's work together. */
export interface RequestContext {
  userId: string;
  requestId: string;
  correlationId: string;
}
