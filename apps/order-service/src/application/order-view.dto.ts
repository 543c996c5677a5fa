import { OrderView } from '@orders/contracts';

/** What a customer sees of an order: never the payment token. Shared by the HTTP API and the NATS queries. */
export type OrderViewDto = OrderView;
