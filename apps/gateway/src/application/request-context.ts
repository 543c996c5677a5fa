import { Identity } from './identity';

/** What the gateway knows about the request it is handling. */
export interface RequestContext {
  requestId: string;
  identity: Identity;
}
