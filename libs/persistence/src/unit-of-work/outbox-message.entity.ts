import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An event waiting to be published; written in the same transaction as the change it describes. */
@Entity({ name: 'outbox' })
export class OutboxMessageEntity {
  /** The event id, also sent as Nats-Msg-Id so JetStream drops a re-publish. */
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  subject!: string;

  @Column('jsonb')
  payload!: unknown;

  @Column('jsonb', { default: {} })
  headers!: Record<string, string>;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'published_at', nullable: true })
  publishedAt!: Date | null;

  @Column('int', { default: 0 })
  attempts!: number;

  @Column('text', { name: 'last_error', nullable: true })
  lastError!: string | null;

  /** Until when a relay's sweep holds the row to publish it; another relay may take it afterwards. */
  @Column('timestamptz', { name: 'claimed_until', nullable: true })
  claimedUntil!: Date | null;

  /** The relay that claimed the row last. */
  @Column('text', { name: 'claimed_by', nullable: true })
  claimedBy!: string | null;
}
