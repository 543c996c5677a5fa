import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { PAYMENT_STAGES, SHIPMENT_STAGES } from '@orders/contracts';
import { Transaction } from '@orders/persistence';
import { DataSource } from 'typeorm';
import { OrderViews, ParticipantFact } from '../application/order-views';

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
      await tx.write(
        `UPDATE order_views SET
           payment_status = CASE WHEN array_position($2::text[], payment_status) > array_position($2::text[], $3) THEN payment_status ELSE $3 END,
           payment_amount = COALESCE($4, payment_amount),
           payment_currency = COALESCE($5, payment_currency)
         WHERE order_id = $1`,
        [orderId, PAYMENT_STAGES, fact.payment, fact.amount?.amount ?? null, fact.amount?.currency ?? null],
      );
    } else {
      await tx.write(
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
