// The public order API's contract, shared with the gateway.
export type { CancelledOrderDto } from '@orders/contracts';
