import { InboxMessageEntity } from './inbox-message.entity';
import { OutboxMessageEntity } from './outbox-message.entity';

/** TypeORM entities every service with a database registers for the outbox and inbox. */
export const UNIT_OF_WORK_ENTITIES = [OutboxMessageEntity, InboxMessageEntity];
