import { ContractViolation } from '@orders/contracts';
import { BulkheadFullError, CircuitOpenError } from '@orders/resilience';
import { PermanentFailure } from '@orders/shared-kernel';

/*
 * Handler errors reach the transport as thrown when the app's exception filter
 * rethrows them (as every app's does), or as the plain objects NestJS's default RPC
 * exception filter makes of them (an RpcException's payload), so both are read here.
 */

const PERMANENT_FAILURE_NAMES: ReadonlySet<string> = new Set([ContractViolation.name, PermanentFailure.name]);

/** A failure retrying cannot fix: a message that breaks its contract, or work the other side will always refuse. */
export function isPermanentFailure(error: unknown): boolean {
  if (error instanceof ContractViolation || error instanceof PermanentFailure) return true;
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && PERMANENT_FAILURE_NAMES.has(name);
}

const DEPENDENCY_UNAVAILABLE_NAMES: ReadonlySet<string> = new Set([CircuitOpenError.name, BulkheadFullError.name]);

/**
 * A dependency the handler needs is held off on our side, without being asked: its circuit is
 * open, or its bulkhead is full. Nothing about the message failed, so waiting for the
 * dependency must not spend the message's deliveries; `retryAfterMs` of an open circuit says
 * when the breaker lets a probe through.
 */
export function isDependencyUnavailable(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && DEPENDENCY_UNAVAILABLE_NAMES.has(name);
}

/**
 * The event cannot be handled before another one it depends on, which arrives on
 * another consumer and has not been processed yet (e.g. `inventory.reserved` before
 * the `order.placed` that opened the payment). Not a failure of this event: it is
 * redelivered until the other one is processed, for as long as the consumer's
 * `precedingEventWaitMs` allows.
 */
export class PrecedingEventMissing extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrecedingEventMissing';
  }
}

export function isPrecedingEventMissing(error: unknown): boolean {
  return error instanceof PrecedingEventMissing || (error as { name?: unknown } | null)?.name === PrecedingEventMissing.name;
}

/** How long the failing side asked us to wait (e.g. a provider's Retry-After), if it did. */
export function requestedRetryDelayMs(error: unknown): number | undefined {
  const value = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}
