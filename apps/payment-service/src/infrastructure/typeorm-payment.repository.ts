import { Injectable } from '@nestjs/common';
import { PaymentView } from '@orders/contracts';
import { Transaction } from '@orders/persistence';
import { Money } from '@orders/shared-kernel';
import { DataSource } from 'typeorm';
import { PaymentRepository } from '../application/payment.repository';
import { Payment } from '../domain/payment';
import { PaymentEntity } from './payment.entity';

@Injectable()
export class TypeOrmPaymentRepository extends PaymentRepository {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async findByOrder(orderId: string): Promise<Payment | null> {
    const row = await this.findRow(orderId);
    return row ? toPayment(row) : null;
  }

  async lockByOrder(tx: Transaction, orderId: string): Promise<Payment | null> {
    const row = await tx.manager.findOne(PaymentEntity, { where: { orderId }, lock: { mode: 'pessimistic_write' } });
    return row ? toPayment(row) : null;
  }

  async save(tx: Transaction, payment: Payment): Promise<void> {
    await tx.manager.upsert(
      PaymentEntity,
      {
        id: payment.id,
        orderId: payment.orderId,
        status: payment.status,
        token: payment.token,
        amount: payment.amount?.amount ?? null,
        currency: payment.amount?.currency ?? null,
        providerAuthorizationId: payment.providerAuthorizationId,
        providerCaptureId: payment.providerCaptureId,
        providerRefundId: payment.providerRefundId,
        updatedAt: new Date(),
      },
      ['id'],
    );
  }

  async findView(orderId: string): Promise<PaymentView | null> {
    const row = await this.findRow(orderId);
    if (!row) return null;
    return {
      paymentId: row.id,
      orderId: row.orderId,
      status: row.status,
      amount: toMoney(row)?.toJSON() ?? null,
      updatedAt: row.updatedAt.toISOString(),
    };
  }

  private findRow(orderId: string): Promise<PaymentEntity | null> {
    return this.dataSource.manager.findOne(PaymentEntity, { where: { orderId } });
  }
}

function toMoney(row: PaymentEntity): Money | null {
  return row.amount === null || row.currency === null ? null : Money.of(row.amount, row.currency);
}

function toPayment(row: PaymentEntity): Payment {
  return Payment.restore({
    id: row.id,
    orderId: row.orderId,
    token: row.token,
    status: row.status,
    amount: toMoney(row),
    providerAuthorizationId: row.providerAuthorizationId,
    providerCaptureId: row.providerCaptureId,
    providerRefundId: row.providerRefundId,
  });
}
