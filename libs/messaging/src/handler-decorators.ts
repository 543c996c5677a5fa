import { EventPattern, MessagePattern } from '@nestjs/microservices';
import { EnvelopeOf, EventDefinition, QueryDefinition, QueryRequest, QueryResponse } from '@orders/contracts';
import { ConsumerOptions } from './jetstream/consumer-options';

type HandlerDescriptor<TArgument, TResult> = TypedPropertyDescriptor<(argument: TArgument, ...rest: never[]) => TResult>;

/**
 * Subscribes a controller method to every version of an event (a durable JetStream
 * consumer). The method receives the validated envelope upcast to the latest version.
 */
export function OnEvent<TDefinition extends EventDefinition<unknown>>(definition: TDefinition, options: Partial<ConsumerOptions> = {}) {
  return <TResult extends Promise<unknown>>(target: object, key: string | symbol, descriptor: HandlerDescriptor<EnvelopeOf<TDefinition>, TResult>): void => {
    (EventPattern(definition.type, options) as MethodDecorator)(target, key, descriptor);
  };
}

/** Answers a request/reply query; the method receives the validated request. */
export function OnQuery<TDefinition extends QueryDefinition<unknown, unknown>>(definition: TDefinition) {
  return (target: object, key: string | symbol, descriptor: HandlerDescriptor<QueryRequest<TDefinition>, Promise<QueryResponse<TDefinition>>>): void => {
    (MessagePattern(definition.subject) as MethodDecorator)(target, key, descriptor);
  };
}
