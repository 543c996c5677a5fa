import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import { SAGA_EVENT_MEANINGS } from '@orders/contracts';
import { OrderEventsController } from './order-events.controller';

describe('OrderEventsController', () => {
  it('consumes exactly the events the saga table gives a meaning', () => {
    const prototype = OrderEventsController.prototype as unknown as Record<string, object>;
    const consumed = Object.getOwnPropertyNames(prototype).flatMap((name): string[] => Reflect.getMetadata(PATTERN_METADATA, prototype[name]) ?? []);
    expect(consumed.sort()).toEqual([...new Set(SAGA_EVENT_MEANINGS.map((meaning) => meaning.event.type))].sort());
  });
});
