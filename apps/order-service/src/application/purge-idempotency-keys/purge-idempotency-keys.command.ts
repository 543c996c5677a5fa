import { Command } from '@nestjs/cqrs';

/** Forgets up to `limit` Idempotency-Keys older than their time to live; answers how many. */
export class PurgeIdempotencyKeysCommand extends Command<number> {
  constructor(readonly limit: number) {
    super();
  }
}
