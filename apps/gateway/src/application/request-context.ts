import { Deadline } from '@orders/request-context';
import { Identity } from './identity';

/** What the gateway knows about the request it is handling. */
export interface RequestContext {
  requestId: string;
  identity: Identity;
  /** When the gateway stops waiting for the services behind it: REQUEST_DEADLINE_MS after the request arrived. */
  deadline: Deadline;
}
