export * from './inventory.events';
export * from './order.events';
export * from './payment.events';
export * from './shipping.events';

import { EventDefinition } from '../event-definition';
import { InventoryCommitted, InventoryRejected, InventoryReleased, InventoryReserved, InventoryStockAdjusted } from './inventory.events';
import { OrderCancelled, OrderConfirmed, OrderPlaced } from './order.events';
import { PaymentAuthorized, PaymentCaptured, PaymentFailed, PaymentRefunded, PaymentVoided } from './payment.events';
import { ShippingCancelled, ShippingFailed, ShippingScheduled } from './shipping.events';

/** Every published event by type: what consumers validate incoming messages against. */
export const EVENT_CATALOG: ReadonlyMap<string, EventDefinition<unknown>> = new Map(
  [
    OrderPlaced,
    OrderConfirmed,
    OrderCancelled,
    InventoryReserved,
    InventoryRejected,
    InventoryCommitted,
    InventoryReleased,
    InventoryStockAdjusted,
    PaymentAuthorized,
    PaymentFailed,
    PaymentCaptured,
    PaymentVoided,
    PaymentRefunded,
    ShippingScheduled,
    ShippingFailed,
    ShippingCancelled,
  ].map((definition): [string, EventDefinition<unknown>] => [definition.type, definition]),
);
