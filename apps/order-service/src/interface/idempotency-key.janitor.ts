import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { SweepLoop } from '@orders/service-runtime';
import { IdempotencySettings } from '../application/idempotency-settings';
import { PurgeIdempotencyKeysCommand } from '../application/purge-idempotency-keys/purge-idempotency-keys.command';

const BATCH = 1_000;

/** Forgets the Idempotency-Keys past their time to live; replicas skip each other's keys. */
@Injectable()
export class IdempotencyKeyJanitor extends SweepLoop {
  constructor(
    private readonly commands: CommandBus,
    private readonly settings: IdempotencySettings,
  ) {
    super(BATCH, settings.purgeIntervalMs);
  }

  protected async sweep(batch: number): Promise<number> {
    const purged = await this.commands.execute(new PurgeIdempotencyKeysCommand(batch));
    if (purged > 0) this.logger.log(`Forgot ${purged} Idempotency-Key(s) older than ${this.settings.keyTtlMs} ms`);
    return purged;
  }
}
