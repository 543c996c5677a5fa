/**
 * The answer to a customer's cancellation, the same however often it is asked. The
 * order is cancelled at once; refund, restock and shipment cancellation follow
 * asynchronously and show up on the order's timeline.
 */
export interface CancelledOrderDto {
  orderId: string;
  status: 'CANCELLED';
  cancellationReason: 'CUSTOMER_CANCELLED';
}
