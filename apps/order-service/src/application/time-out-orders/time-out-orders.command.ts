import { Command } from '@nestjs/cqrs';

/** Cancels up to `limit` orders still PENDING after the saga deadline; answers how many. */
export class TimeOutOrdersCommand extends Command<number> {
  constructor(readonly limit: number) {
    super();
  }
}
