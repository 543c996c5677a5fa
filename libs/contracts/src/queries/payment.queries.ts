import { z } from 'zod';
import { defineQuery } from '../query-definition';
import { moneySchema } from '../primitives';

export const paymentViewSchema = z.object({
  paymentId: z.uuid(),
  orderId: z.uuid(),
  status: z.enum(['PENDING', 'AUTHORIZED', 'CAPTURED', 'DECLINED']),
  amount: moneySchema.nullable(),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type PaymentView = z.infer<typeof paymentViewSchema>;

export const GetPaymentByOrder = defineQuery('query.payment.get-by-order', z.object({ orderId: z.uuid() }), paymentViewSchema);
