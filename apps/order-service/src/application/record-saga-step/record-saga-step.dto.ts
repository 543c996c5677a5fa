import { MoneyDto } from '@orders/contracts';
import { CompensationFact, SagaCancellationReason } from '../../domain/order';

/** What another service reported about an order, as the order understands it. */
export type SagaStepReport =
  | { step: 'reserved'; total: MoneyDto }
  | { step: 'authorized' }
  | { step: 'scheduled' }
  | { step: 'captured' }
  | { step: 'committed' }
  | { step: 'cancel'; reason: SagaCancellationReason }
  | { step: 'compensated'; fact: CompensationFact };
