import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { jetstream, JetStreamClient, jetstreamManager, JetStreamManager, JetStreamManagerOptions } from '@nats-io/jetstream';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { NATS_GIVE_UP_RECONNECT_ATTEMPTS, natsServers } from '@orders/config';
import { ensureStreams, platformStreamSettings, StreamProvisioning, verifyStreams } from '../jetstream/stream-provisioning';
import { natsEnvironment } from './nats-environment';

export interface NatsConnectionOptions {
  /** NATS_URL: one server, or a comma-separated list of a cluster's servers. */
  url: string;
  /** Shown in the server's connection list and used as the queue group for queries. */
  serviceName: string;
  /** For command-line tools: fail when NATS cannot be reached instead of waiting for it forever. */
  failFast?: boolean;
  /** The NATS user and password; by default NATS_USER and NATS_PASSWORD, none when unset. */
  credentials?: { user: string; pass: string };
  /** By default NATS_STREAM_PROVISIONING: `create` (the default) or `external`. */
  streamProvisioning?: StreamProvisioning;
}

/**
 * The process's single NATS connection. It reconnects forever: a broker outage
 * only delays work (publishes wait in the outbox, consumers resume), it never
 * takes the service down. Drained last on shutdown, after consumers stopped.
 */
@Injectable()
export class NatsConnectionManager implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(NatsConnectionManager.name);
  private nc?: NatsConnection;
  private streamsReady?: Promise<void>;

  readonly options: NatsConnectionOptions;

  constructor(options: NatsConnectionOptions) {
    this.options = { ...natsEnvironment(), ...options };
  }

  async onModuleInit(): Promise<void> {
    await this.connect();
  }

  async connect(): Promise<NatsConnection> {
    if (this.nc) return this.nc;
    this.nc = await connect({
      servers: natsServers(this.options.url),
      name: this.options.serviceName,
      ...this.options.credentials,
      maxReconnectAttempts: this.options.failFast ? NATS_GIVE_UP_RECONNECT_ATTEMPTS : -1,
      reconnectTimeWait: 1_000,
      waitOnFirstConnect: !this.options.failFast,
      // Otherwise every request and publish builds an Error up front, for a stack trace only a
      // failed request would show; our logs name the operation anyway.
      noAsyncTraces: true,
    });
    void this.watchStatus(this.nc);
    this.logger.log(`Connected to NATS ${this.nc.getServer()}`);
    return this.nc;
  }

  get connection(): NatsConnection {
    if (!this.nc) throw new Error('NATS connection used before connect()');
    return this.nc;
  }

  get serviceName(): string {
    return this.options.serviceName;
  }

  jetstream(): JetStreamClient {
    return jetstream(this.connection);
  }

  jetstreamManager(options?: JetStreamManagerOptions): Promise<JetStreamManager> {
    return jetstreamManager(this.connection, options);
  }

  /**
   * Creates or updates every context's stream, the dead-letter and the audit stream once per process,
   * or, where streams are provisioned externally (a cluster whose services may not change
   * streams), checks that they exist.
   */
  ensureStreams(): Promise<void> {
    const streams = platformStreamSettings();
    const provision = this.options.streamProvisioning === 'external' ? verifyStreams : ensureStreams;
    this.streamsReady ??= this.jetstreamManager().then((jsm) => provision(jsm, streams));
    this.streamsReady.catch(() => (this.streamsReady = undefined));
    return this.streamsReady;
  }

  isConnected(): boolean {
    return !!this.nc && !this.nc.isClosed() && !this.reconnecting;
  }

  private reconnecting = false;

  private async watchStatus(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect' || status.type === 'reconnecting') {
        if (!this.reconnecting) this.logger.warn(`NATS connection lost (${status.type}); reconnecting`);
        this.reconnecting = true;
      } else if (status.type === 'reconnect') {
        this.reconnecting = false;
        this.logger.log('NATS connection restored');
      }
    }
  }

  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  /** Drains the connection: pending publishes and acks go out first. */
  async close(): Promise<void> {
    if (!this.nc || this.nc.isClosed()) return;
    await this.nc.drain().catch((error: unknown) => this.logger.warn(`NATS drain failed: ${String(error)}`));
  }
}
