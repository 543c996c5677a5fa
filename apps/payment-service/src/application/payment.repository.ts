import { PaymentView } from '@orders/contracts';
import { Transaction } from '@orders/persistence';
import { Payment } from '../domain/payment';

/** Persistence port of the payment use cases. */
export abstract class PaymentRepository {
  /** The last committed state, read outside any transaction (e.g. before calling the provider). */
  abstract findByOrder(orderId: string): Promise<Payment | null>;
  /** Loads and row-locks the order's payment inside the caller's transaction. */
  abstract lockByOrder(tx: Transaction, orderId: string): Promise<Payment | null>;
  abstract save(tx: Transaction, payment: Payment): Promise<void>;
  /** Adds `payment` unless its order has a payment already, in whatever state. */
  abstract addUnlessOrderHasOne(tx: Transaction, payment: Payment): Promise<void>;
  abstract findView(orderId: string): Promise<PaymentView | null>;
}
