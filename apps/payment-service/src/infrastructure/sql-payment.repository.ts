import { Injectable } from '@nestjs/common';
import { PaymentView } from '@orders/contracts';
import { Transaction } from '@orders/persistence';
import { Money } from '@orders/shared-kernel';
import { DataSource } from 'typeorm';
import { PaymentRepository } from '../application/payment.repository';
import { Payment } from '../domain/payment';
import { PaymentRow } from './payment-row';

/**
 * Payments in plain SQL, on the saga's hot path: each method is one statement, and saving is a
 * single upsert on the payment's id.
 */
@Injectable()
export class SqlPaymentRepository extends PaymentRepository {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async findByOrder(orderId: string): Promise<Payment | null> {
    const row = await this.findRow(orderId);
    return row ? toPayment(row) : null;
  }

  async lockByOrder(tx: Transaction, orderId: string): Promise<Payment | null> {
    const rows = await tx.query<PaymentRow>(`SELECT * FROM payments WHERE order_id = $1 FOR UPDATE`, [orderId]);
    return rows.length > 0 ? toPayment(rows[0]) : null;
  }

  async save(tx: Transaction, payment: Payment): Promise<void> {
    await tx.write(
      `${INSERT_PAYMENT}
       ON CONFLICT (id) DO UPDATE SET order_id = EXCLUDED.order_id, status = EXCLUDED.status, token = EXCLUDED.token, amount = EXCLUDED.amount,
                                      currency = EXCLUDED.currency, provider_authorization_id = EXCLUDED.provider_authorization_id,
                                      provider_capture_id = EXCLUDED.provider_capture_id, provider_refund_id = EXCLUDED.provider_refund_id,
                                      updated_at = EXCLUDED.updated_at`,
      paymentColumns(payment),
    );
  }

  async addUnlessOrderHasOne(tx: Transaction, payment: Payment): Promise<void> {
    await tx.write(`${INSERT_PAYMENT} ON CONFLICT (order_id) DO NOTHING`, paymentColumns(payment));
  }

  async findView(orderId: string): Promise<PaymentView | null> {
    const row = await this.findRow(orderId);
    if (!row) return null;
    return {
      paymentId: row.id,
      orderId: row.order_id,
      status: row.status,
      amount: toMoney(row)?.toJSON() ?? null,
      updatedAt: row.updated_at.toISOString(),
    };
  }

  private async findRow(orderId: string): Promise<PaymentRow | null> {
    const rows: PaymentRow[] = await this.dataSource.query(`SELECT * FROM payments WHERE order_id = $1`, [orderId]);
    return rows[0] ?? null;
  }
}

function toMoney(row: PaymentRow): Money | null {
  return row.amount === null || row.currency === null ? null : Money.of(row.amount, row.currency);
}

function toPayment(row: PaymentRow): Payment {
  return Payment.restore({
    id: row.id,
    orderId: row.order_id,
    token: row.token,
    status: row.status,
    amount: toMoney(row),
    providerAuthorizationId: row.provider_authorization_id,
    providerCaptureId: row.provider_capture_id,
    providerRefundId: row.provider_refund_id,
  });
}

const INSERT_PAYMENT = `INSERT INTO payments (id, order_id, status, token, amount, currency, provider_authorization_id, provider_capture_id, provider_refund_id, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`;

function paymentColumns(payment: Payment): unknown[] {
  return [
    payment.id,
    payment.orderId,
    payment.status,
    payment.token,
    payment.amount?.amount ?? null,
    payment.amount?.currency ?? null,
    payment.providerAuthorizationId,
    payment.providerCaptureId,
    payment.providerRefundId,
    new Date(),
  ];
}
