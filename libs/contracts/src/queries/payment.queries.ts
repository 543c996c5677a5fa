import { z } from 'zod';
import { defineQuery } from '../query-definition';
import { moneySchema } from '../primitives';

/** VOIDED, REFUNDED and CANCELLED are compensations: the order was cancelled or could not ship. */
export const PAYMENT_STATUSES = ['PENDING', 'AUTHORIZED', 'CAPTURED', 'DECLINED', 'VOIDED', 'REFUNDED', 'CANCELLED'] as const;

export const paymentViewSchema = z.object({
  paymentId: z.uuid(),
  orderId: z.uuid(),
  status: z.enum(PAYMENT_STATUSES),
  amount: moneySchema.nullable(),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type PaymentView = z.infer<typeof paymentViewSchema>;

export const GetPaymentByOrder = defineQuery('query.payment.get-by-order', z.object({ orderId: z.uuid() }), paymentViewSchema);
