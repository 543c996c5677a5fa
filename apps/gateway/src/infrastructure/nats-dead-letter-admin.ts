import { Injectable } from '@nestjs/common';
import { DeadLetter, DeadLetterNotFound, DeadLetterPage, DeadLetterQuery, DeadLetters, ReplayedDeadLetter } from '@orders/messaging';
import { DeadLetterAdmin } from '../application/dead-letter-admin';
import { UpstreamUnavailable } from '../application/upstream';

/** Works the DEAD_LETTERS stream through the gateway's own NATS connection. */
@Injectable()
export class NatsDeadLetterAdmin extends DeadLetterAdmin {
  constructor(private readonly deadLetters: DeadLetters) {
    super();
  }

  list(query: DeadLetterQuery): Promise<DeadLetterPage> {
    return this.deadLetters.list(query).catch(unavailable);
  }

  get(id: number): Promise<DeadLetter | null> {
    return this.deadLetters.get(id).catch(missingAs(null));
  }

  replay(id: number, editedPayload?: unknown): Promise<ReplayedDeadLetter | null> {
    const data = editedPayload === undefined ? undefined : new TextEncoder().encode(JSON.stringify(editedPayload));
    return this.deadLetters.replay(id, data).catch(missingAs(null));
  }

  discard(id: number): Promise<boolean> {
    return this.deadLetters.discard(id).then(() => true, missingAs(false));
  }
}

/** A missing dead letter is an answer; anything else failing means NATS is unreachable or unwell. */
function missingAs<T>(answer: T): (error: unknown) => T {
  return (error) => (error instanceof DeadLetterNotFound ? answer : unavailable(error));
}

function unavailable(error: unknown): never {
  throw new UpstreamUnavailable('nats', `Dead-letter queue: ${error instanceof Error ? error.message : String(error)}`);
}
