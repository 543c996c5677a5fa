import { z } from 'zod';
import { ContractViolation } from './contract-violation';
import { Causation, EventEnvelope, envelopeMetadata, envelopeSchema, eventSubject } from './envelope';

/**
 * One version of an event's payload. Every version after the first says how to
 * upcast the previous version's data, so consumers always handle the latest shape
 * while older messages still in a stream stay readable.
 */
export interface EventVersion<TSchema extends z.ZodType = z.ZodType> {
  schema: TSchema;
  upcastFromPrevious?: (previous: unknown) => unknown;
}

export class EventDefinition<TData> {
  readonly latestVersion: number;

  constructor(
    readonly type: string,
    private readonly versions: readonly EventVersion[],
  ) {
    if (versions.length === 0) throw new Error(`Event ${type} needs at least one version`);
    versions.slice(1).forEach((version, index) => {
      if (!version.upcastFromPrevious) throw new Error(`Event ${type} v${index + 2} needs upcastFromPrevious`);
    });
    this.latestVersion = versions.length;
  }

  /** Where the latest version is published. */
  get subject(): string {
    return eventSubject(this.type, this.latestVersion);
  }

  /** Subject filter that matches every version, so old and new messages reach one consumer. */
  get allVersionsSubject(): string {
    return `${this.type}.*`;
  }

  /** The bounded context that owns (publishes) the event, e.g. `order` for `order.placed`. */
  get context(): string {
    return this.type.split('.')[0];
  }

  create(data: TData, causation: Causation): EventEnvelope<TData> {
    const parsed = this.versions[this.latestVersion - 1].schema.safeParse(data);
    if (!parsed.success) {
      throw new ContractViolation(`Refusing to publish an invalid ${this.type}: ${z.prettifyError(parsed.error)}`, parsed.error.issues);
    }
    return { ...envelopeMetadata(causation), type: this.type, version: this.latestVersion, data: parsed.data as TData };
  }

  /** Validates an incoming envelope of any known version and returns it as the latest version. */
  parse(envelope: EventEnvelope): EventEnvelope<TData> {
    if (envelope.type !== this.type) {
      throw new ContractViolation(`Expected ${this.type}, got ${envelope.type}`);
    }
    const version = this.versions[envelope.version - 1];
    if (!version) {
      throw new ContractViolation(`Unknown version ${envelope.version} of ${this.type} (latest is ${this.latestVersion})`);
    }
    const parsed = version.schema.safeParse(envelope.data);
    if (!parsed.success) {
      throw new ContractViolation(`Invalid ${this.type} v${envelope.version}: ${z.prettifyError(parsed.error)}`, parsed.error.issues);
    }
    let data: unknown = parsed.data;
    for (let next = envelope.version; next < this.latestVersion; next++) {
      data = this.versions[next].schema.parse(this.versions[next].upcastFromPrevious!(data));
    }
    return { ...envelope, version: this.latestVersion, data: data as TData };
  }
}

export function defineEvent<TSchema extends z.ZodType>(
  type: string,
  latest: EventVersion<TSchema>,
  olderVersions: readonly EventVersion[] = [],
): EventDefinition<z.output<TSchema>> {
  return new EventDefinition<z.output<TSchema>>(type, [...olderVersions, latest]);
}

export type EventData<TDefinition> = TDefinition extends EventDefinition<infer TData> ? TData : never;

/** Decodes raw bytes into an envelope, rejecting anything that is not one. */
export function decodeEnvelope(bytes: Uint8Array): EventEnvelope {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new ContractViolation('Message body is not valid JSON');
  }
  const parsed = envelopeSchema.safeParse(json);
  if (!parsed.success) {
    throw new ContractViolation(`Message is not an event envelope: ${z.prettifyError(parsed.error)}`, parsed.error.issues);
  }
  return parsed.data as EventEnvelope;
}

/** The envelope of the latest version of an event, as handlers receive it. */
export type EnvelopeOf<TDefinition> = EventEnvelope<EventData<TDefinition>>;
