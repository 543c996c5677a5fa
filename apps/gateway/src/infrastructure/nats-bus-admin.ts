import { Injectable } from '@nestjs/common';
import { NatsConnectionManager } from '@orders/messaging';
import { BusAdmin, BusState, ConsumerSummary, StreamSummary } from '../application/bus-admin';
import { UpstreamUnavailable } from '../application/upstream';
import { UpstreamSettings } from './upstream-settings';

/** Reads JetStream's own account of its streams and consumers through the gateway's NATS connection. */
@Injectable()
export class NatsBusAdmin extends BusAdmin {
  constructor(
    private readonly nats: NatsConnectionManager,
    private readonly settings: UpstreamSettings,
  ) {
    super();
  }

  async state(): Promise<BusState> {
    try {
      const jsm = await this.nats.jetstreamManager({ timeout: this.settings.timeoutMs, checkAPI: false });
      const streams: StreamSummary[] = [];
      for await (const { config, state } of jsm.streams.list()) {
        const consumers: ConsumerSummary[] = [];
        for await (const info of jsm.consumers.list(config.name)) {
          consumers.push({ name: info.name, pending: info.num_pending, ackPending: info.num_ack_pending, redelivered: info.num_redelivered });
        }
        consumers.sort((a, b) => a.name.localeCompare(b.name));
        streams.push({ name: config.name, subjects: config.subjects ?? [], messages: state.messages, bytes: state.bytes, replicas: config.num_replicas, consumers });
      }
      return { streams: streams.sort((a, b) => a.name.localeCompare(b.name)) };
    } catch (error) {
      throw new UpstreamUnavailable('nats', `Message bus: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
