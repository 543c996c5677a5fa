import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import { Injectable } from '@nestjs/common';
import { STREAMS } from '@orders/contracts';
import { NatsConnectionManager } from '../nats/nats-connection';

/** What JetStream says about one of the service's durable consumers. */
export interface ConsumerState {
  name: string;
  stream: string;
  /** Messages in the stream not delivered to the consumer yet (its lag). */
  numPending: number;
  /** Messages delivered and not acknowledged yet (being handled or waiting for redelivery). */
  numAckPending: number;
  /** Messages delivered more than once and not acknowledged yet. */
  numRedelivered: number;
}

/** The durable consumer JetStreamServer creates for a service's handler of an event type. */
export function durableConsumerName(serviceName: string, eventType: string): string {
  return `${serviceName}-${eventType.replaceAll('.', '-')}`;
}

/**
 * Reads the state of this service's durable consumers (named `<service>-...`) in every
 * event stream, for metrics and readiness details alike.
 */
@Injectable()
export class ConsumerStates {
  constructor(private readonly nats: NatsConnectionManager) {}

  /** `timeoutMs` bounds each request to JetStream, for callers that must answer quickly. */
  async read(options: { timeoutMs: number }): Promise<ConsumerState[]> {
    const jsm = await this.nats.jetstreamManager({ timeout: options.timeoutMs, checkAPI: false });
    const prefix = `${this.nats.serviceName}-`;
    const consumers: ConsumerState[] = [];
    for (const { name: stream } of STREAMS) {
      try {
        for await (const info of jsm.consumers.list(stream)) {
          if (info.name.startsWith(prefix))
            consumers.push({ name: info.name, stream, numPending: info.num_pending, numAckPending: info.num_ack_pending, numRedelivered: info.num_redelivered });
        }
      } catch (error) {
        // Streams are created by the first service that starts; until then there is nothing to consume.
        if (!(error instanceof JetStreamApiError) || error.code !== JetStreamApiCodes.StreamNotFound) throw error;
      }
    }
    return consumers;
  }
}
