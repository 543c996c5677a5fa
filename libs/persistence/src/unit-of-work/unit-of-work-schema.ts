import { CompensationStarts1765400000000 } from './compensation-starts.migration';
import { DeliveryFailures1765500000000 } from './delivery-failures.migration';
import { InboxByAge1765200000000 } from './inbox-by-age.migration';
import { InboxMessageEntity } from './inbox-message.entity';
import { MessagingTables1763683200000 } from './messaging-tables.migration';
import { OutboxByOrder1765300000001 } from './outbox-by-order.migration';
import { OutboxLeases1765300000000 } from './outbox-leases.migration';
import { OutboxMessageEntity } from './outbox-message.entity';
import { OutboxWithoutNotify1765100000000 } from './outbox-without-notify.migration';

/** TypeORM entities every service with a database registers for the outbox and inbox. */
export const UNIT_OF_WORK_ENTITIES = [OutboxMessageEntity, InboxMessageEntity];

/**
 * The migrations of the outbox and inbox tables (and the compensation lane's shared count and the
 * consumers' failed deliveries), which every service with a database runs before its own.
 */
export const UNIT_OF_WORK_MIGRATIONS = [
  MessagingTables1763683200000,
  OutboxWithoutNotify1765100000000,
  InboxByAge1765200000000,
  OutboxLeases1765300000000,
  OutboxByOrder1765300000001,
  CompensationStarts1765400000000,
  DeliveryFailures1765500000000,
];
