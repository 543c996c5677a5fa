import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '@orders/shared-kernel';
import { IdempotencyKeyRepository } from '../idempotency-key.repository';
import { IdempotencySettings } from '../idempotency-settings';
import { PurgeIdempotencyKeysCommand } from './purge-idempotency-keys.command';

/**
 * Keeps the key table from growing forever: a key is kept for its time to live (24 h by
 * default) and then forgotten, after which a request with it places a new order. The
 * orders themselves stay.
 */
@CommandHandler(PurgeIdempotencyKeysCommand)
export class PurgeIdempotencyKeysHandler implements ICommandHandler<PurgeIdempotencyKeysCommand> {
  constructor(
    private readonly keys: IdempotencyKeyRepository,
    private readonly settings: IdempotencySettings,
    private readonly clock: Clock,
  ) {}

  execute({ limit }: PurgeIdempotencyKeysCommand): Promise<number> {
    return this.keys.deleteRecordedBefore(new Date(this.clock.now().getTime() - this.settings.keyTtlMs), limit);
  }
}
