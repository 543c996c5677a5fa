export * from './inventory.queries';
export * from './order.queries';
export * from './payment.queries';
export * from './shipping.queries';

import { QueryDefinition } from '../query-definition';
import { ListProducts, SetAvailable } from './inventory.queries';
import { GetOrder, ListOrders } from './order.queries';
import { GetPaymentByOrder } from './payment.queries';
import { GetShipmentByOrder } from './shipping.queries';

/** Every query by subject: what responders validate requests against. */
export const QUERY_CATALOG: ReadonlyMap<string, QueryDefinition<unknown, unknown>> = new Map(
  [ListProducts, SetAvailable, GetOrder, ListOrders, GetPaymentByOrder, GetShipmentByOrder].map((definition): [string, QueryDefinition<unknown, unknown>] => [
    definition.subject,
    definition,
  ]),
);
