import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Marks an event as processed by one consumer; committed with the handler's effects. */
@Entity({ name: 'inbox' })
export class InboxMessageEntity {
  @PrimaryColumn('text')
  consumer!: string;

  @PrimaryColumn('uuid', { name: 'message_id' })
  messageId!: string;

  @Column('timestamptz', { name: 'processed_at', default: () => 'now()' })
  processedAt!: Date;
}
