import { Command } from '@nestjs/cqrs';

/** Releases up to `limit` reservations past their expiry; answers how many. */
export class ExpireReservationsCommand extends Command<number> {
  constructor(readonly limit: number) {
    super();
  }
}
