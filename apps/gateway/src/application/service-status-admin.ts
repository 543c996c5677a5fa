import type { ReplicaStatus } from '@orders/contracts';

/** One replica's own answer, without the service it belongs to. */
export type ReplicaState = Omit<ReplicaStatus, 'service'>;

export interface ServiceState {
  name: string;
  /** Every replica that answered within the wait, by replica; empty when none did. */
  replicas: ReplicaState[];
  /** Why no replica answered (none running, none in time, none that made sense); null when some did. */
  noAnswer: string | null;
  /** Its dead letters waiting; null when the queue could not be counted. */
  deadLetters: number | null;
}

export interface ServicesState {
  services: ServiceState[];
  /** How long replicas were given to answer: one slower than this is missing from its service. */
  waitedMs: number;
}

/**
 * The services as operators watch them, replica by replica. A service that does not answer is a
 * finding, never a failure: this always resolves.
 */
export abstract class ServiceStatusAdmin {
  abstract services(): Promise<ServicesState>;
}
