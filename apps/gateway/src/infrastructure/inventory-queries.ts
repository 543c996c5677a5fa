import { bearer, CallerTokenIssuer } from '@orders/caller-tokens';
import { HEADERS } from '@orders/contracts';
import { QueryFailure, QueryOptions } from '@orders/messaging';
import { RequestContext } from '../application/request-context';
import { UpstreamTimeout, UpstreamUnavailable } from '../application/upstream';
import { UpstreamSettings } from './upstream-settings';

const INVENTORY = 'inventory-service';

/** How the gateway asks inventory-service over NATS for a request it handles: as its caller, waiting no longer than the request's deadline allows. */
export function inventoryQueryOptions(context: RequestContext, settings: UpstreamSettings, callerTokens: CallerTokenIssuer): QueryOptions {
  return {
    timeoutMs: settings.timeoutMs,
    deadline: context.deadline,
    headers: {
      [HEADERS.requestId]: context.requestId,
      [HEADERS.correlationId]: context.requestId,
      [HEADERS.authorization]: bearer(callerTokens.tokenFor(context.identity)),
    },
  };
}

/**
 * A query inventory-service did not answer in time, or could not answer. Any refusal the asking
 * adapter does not make an answer of is a fault between the gateway and inventory-service (the
 * gateway validated the request and checked the caller first), never the client's.
 */
export function inventoryFailure(error: QueryFailure): UpstreamTimeout | UpstreamUnavailable {
  return error.code === 'DEADLINE_EXCEEDED' ? new UpstreamTimeout(INVENTORY, error.message) : new UpstreamUnavailable(INVENTORY, error.message);
}
