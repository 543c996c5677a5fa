import { Injectable } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { PATTERN_HANDLER_METADATA, PATTERN_METADATA } from '@nestjs/microservices/constants';
import { PatternHandler } from '@nestjs/microservices/enums/pattern-handler.enum';
import { HealthIndicatorService } from '@nestjs/terminus';
import { ConsumerState, ConsumerStates, durableConsumerName, NatsConnectionManager } from '@orders/messaging';

/** Readiness answers within a probe's timeout even when JetStream is slow to answer. */
const INFO_TIMEOUT_MS = 1_000;

type ConsumerDetails = { exists: false } | ({ exists: true } & Omit<ConsumerState, 'name'>);

/**
 * The state of each durable consumer this app's `@OnEvent` handlers need: whether it
 * exists in JetStream, its lag, unacknowledged and redelivered messages. Always `up`:
 * lag is for an operator and alerts, and a replica taken out of rotation would not
 * consume any faster.
 */
@Injectable()
export class ConsumersHealthIndicator {
  private expected?: string[];

  constructor(
    private readonly states: ConsumerStates,
    private readonly nats: NatsConnectionManager,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly health: HealthIndicatorService,
  ) {}

  async check(key: string) {
    const indicator = this.health.check(key);
    if (!this.nats.isConnected()) return indicator.up({ consumers: null, message: 'unknown while NATS is not connected' });
    try {
      const found = new Map((await this.states.read({ timeoutMs: INFO_TIMEOUT_MS })).map(({ name, ...state }) => [name, state]));
      const consumers: Record<string, ConsumerDetails> = {};
      for (const name of new Set([...this.expectedConsumers(), ...found.keys()])) {
        const state = found.get(name);
        consumers[name] = state ? { exists: true, ...state } : { exists: false };
      }
      return indicator.up({ consumers });
    } catch (error) {
      return indicator.up({ consumers: null, message: `unknown: ${error instanceof Error ? error.message : String(error)}` });
    }
  }

  /** One durable consumer per event handler of the app's controllers, as JetStreamServer creates them. */
  private expectedConsumers(): string[] {
    this.expected ??= this.discovery.getControllers().flatMap(({ instance }) => {
      const prototype = instance ? (Object.getPrototypeOf(instance) as object) : null;
      return this.scanner.getAllMethodNames(prototype).flatMap((method) => {
        const handler = (prototype as Record<string, unknown>)[method] as object;
        if (Reflect.getMetadata(PATTERN_HANDLER_METADATA, handler) !== PatternHandler.EVENT) return [];
        return (Reflect.getMetadata(PATTERN_METADATA, handler) as string[]).map((type) => durableConsumerName(this.nats.serviceName, type));
      });
    });
    return this.expected;
  }
}
