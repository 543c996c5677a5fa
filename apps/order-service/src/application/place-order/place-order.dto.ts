// Body of `POST /internal/orders` and its answer: the public order API's contract, shared with the gateway.
export { idempotencyKeySchema, type PlacedOrderDto, type PlaceOrderBody, placeOrderBodySchema } from '@orders/contracts';
