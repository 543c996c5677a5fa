import { DynamicModule, Module, Provider } from '@nestjs/common';
import { MessageTransactions, OutboxDispatch } from '@orders/persistence';
import { DataSource } from 'typeorm';
import { DeadLetters } from './dead-letters/dead-letters';
import { NatsConnectionManager } from './nats/nats-connection';
import { DEFAULT_OUTBOX_RELAY_OPTIONS, inboxRetentionEnvironment, OutboxRelay, OutboxRelayOptions } from './outbox/outbox-relay';
import { ProviderCalls } from './provider-calls/provider-calls';
import { QueryClient } from './query/query-client';

export interface MessagingModuleOptions {
  serviceName: string;
  natsUrl: string;
  /** Services with a database publish through the transactional outbox and consume through the inbox. */
  outbox?: Partial<OutboxRelayOptions> | false;
}

/** The service's database, where messaging keeps its outbox, its inbox and the compensation lane's count; null in an app without one. */
export const MESSAGING_DATABASE = Symbol('MESSAGING_DATABASE');

@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    const connection: Provider = {
      provide: NatsConnectionManager,
      useFactory: () => new NatsConnectionManager({ url: options.natsUrl, serviceName: options.serviceName }),
    };
    const providers: Provider[] = [connection, QueryClient, DeadLetters];
    if (options.outbox === false || options.outbox === undefined) providers.push({ provide: MESSAGING_DATABASE, useValue: null });
    else {
      const relayOptions = { ...DEFAULT_OUTBOX_RELAY_OPTIONS, ...inboxRetentionEnvironment(), ...options.outbox };
      providers.push(MessageTransactions, ProviderCalls, {
        provide: OutboxRelay,
        inject: [DataSource, NatsConnectionManager],
        useFactory: (dataSource: DataSource, nats: NatsConnectionManager) => new OutboxRelay(dataSource, nats, relayOptions),
      });
      providers.push({ provide: OutboxDispatch, useExisting: OutboxRelay }, { provide: MESSAGING_DATABASE, useExisting: DataSource });
    }
    return { module: MessagingModule, global: true, providers, exports: providers };
  }
}
