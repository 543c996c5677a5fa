import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { moneySchema } from '../primitives';

export const PaymentAuthorized = defineEvent('payment.authorized', {
  schema: z.object({ orderId: z.uuid(), paymentId: z.uuid(), amount: moneySchema }),
});

export const PaymentFailed = defineEvent('payment.failed', {
  schema: z.object({
    orderId: z.uuid(),
    paymentId: z.uuid(),
    reason: z.enum(['DECLINED', 'PROVIDER_ERROR']),
  }),
});

export const PaymentCaptured = defineEvent('payment.captured', {
  schema: z.object({ orderId: z.uuid(), paymentId: z.uuid(), amount: moneySchema }),
});

/** A compensation: the authorization was released without charging the customer (order cancelled, or shipping failed). */
export const PaymentVoided = defineEvent('payment.voided', {
  schema: z.object({ orderId: z.uuid(), paymentId: z.uuid(), amount: moneySchema }),
});

/** A compensation: the captured amount went back to the customer because the order was cancelled after it was charged. */
export const PaymentRefunded = defineEvent('payment.refunded', {
  schema: z.object({ orderId: z.uuid(), paymentId: z.uuid(), amount: moneySchema }),
});
