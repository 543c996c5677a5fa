import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { PAYMENT_STAGES, SHIPMENT_STAGES } from '@orders/contracts';
import { Transaction } from '@orders/persistence';
import { DataSource } from 'typeorm';
import { OrderViews, ParticipantFact } from '../application/order-views';
import { Order } from '../domain/order';

/** The one projection whose progress `projection_watermark` tracks today. */
export const ORDER_VIEWS_PROJECTION = 'order_views';

/** How often the watermark advanced in memory is stored: one write per interval, however many events. */
const WATERMARK_WRITE_INTERVAL_MS = 1_000;

@Injectable()
export class TypeOrmOrderViews extends OrderViews implements BeforeApplicationShutdown {
  private readonly logger = new Logger(TypeOrmOrderViews.name);
  /** The latest `occurredAt` applied and not stored yet. */
  private unwritten?: Date;
  private readonly writing = setInterval(() => void this.writeWatermark(), WATERMARK_WRITE_INTERVAL_MS).unref();

  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async recordFact(tx: Transaction, orderId: string, fact: ParticipantFact): Promise<void> {
    // A stage earlier in the list than the one stored is a late delivery: it changes nothing but fills in what is still unknown.
    if ('payment' in fact) {
      await tx.manager.query(
        `UPDATE order_views SET
           payment_status = CASE WHEN array_position($2::text[], payment_status) > array_position($2::text[], $3) THEN payment_status ELSE $3 END,
           payment_amount = COALESCE($4, payment_amount),
           payment_currency = COALESCE($5, payment_currency)
         WHERE order_id = $1`,
        [orderId, PAYMENT_STAGES, fact.payment, fact.amount?.amount ?? null, fact.amount?.currency ?? null],
      );
    } else {
      await tx.manager.query(
        `UPDATE order_views SET
           shipment_status = CASE WHEN array_position($2::text[], shipment_status) > array_position($2::text[], $3) THEN shipment_status ELSE $3 END,
           tracking_number = COALESCE($4, tracking_number)
         WHERE order_id = $1`,
        [orderId, SHIPMENT_STAGES, fact.shipment, fact.trackingNumber ?? null],
      );
    }
  }

  advanceWatermark(occurredAt: Date): void {
    if (!this.unwritten || occurredAt > this.unwritten) this.unwritten = occurredAt;
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.writing);
    await this.writeWatermark();
  }

  private async writeWatermark(): Promise<void> {
    const appliedUntil = this.unwritten;
    if (!appliedUntil) return;
    this.unwritten = undefined;
    try {
      // GREATEST: other replicas write theirs too, and a slow write may land after a later one.
      await this.dataSource.query(
        `INSERT INTO projection_watermark (projection, applied_until, updated_at) VALUES ($1, $2, now())
         ON CONFLICT (projection) DO UPDATE SET applied_until = GREATEST(projection_watermark.applied_until, EXCLUDED.applied_until), updated_at = now()`,
        [ORDER_VIEWS_PROJECTION, appliedUntil],
      );
    } catch (error) {
      this.advanceWatermark(appliedUntil);
      this.logger.warn(`Could not store the read model's watermark, retrying: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** The order's own part of its view, written with the order so that whoever changed the order reads it back at once. */
export async function insertOrderView(tx: Transaction, order: Order): Promise<void> {
  await tx.manager.query(
    `INSERT INTO order_views (order_id, customer_id, items, status, total_amount, total_currency, cancellation_reason, timeline, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [order.id, order.customerId, JSON.stringify(order.items), ...orderColumns(order), order.createdAt, order.updatedAt],
  );
}

export async function updateOrderView(tx: Transaction, order: Order): Promise<void> {
  await tx.manager.query(
    `UPDATE order_views SET status = $2, total_amount = $3, total_currency = $4, cancellation_reason = $5, timeline = $6, updated_at = $7 WHERE order_id = $1`,
    [order.id, ...orderColumns(order), order.updatedAt],
  );
}

function orderColumns(order: Order): unknown[] {
  return [
    order.status,
    order.total?.amount ?? null,
    order.total?.currency ?? null,
    order.cancellationReason,
    JSON.stringify(order.timeline.map((entry) => ({ type: entry.type, at: entry.at.toISOString() }))),
  ];
}
