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

/** The service's database cannot be reached from the driver's side: refused, reset or cut off while connecting or in use. */
const DATABASE_CONNECTION_ERRNOS: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** SQLSTATEs of a server that is going away or not taking connections: admin or crash shutdown, starting up, out of connection slots. */
const DATABASE_UNAVAILABLE_SQLSTATES: ReadonlySet<string> = new Set(['57P01', '57P02', '57P03', '53300']);
/** What node-postgres says, without a code, when the server closes the connection under a client. */
const DATABASE_CONNECTION_LOST = /^Connection terminated|^Client has encountered a connection error|^timeout exceeded when trying to connect/;

/**
 * A dependency the handler needs is unavailable, and nothing about the message failed, so
 * waiting for it must not spend the message's deliveries:
 * - held off on our side, without being asked: its circuit is open, or its bulkhead is full
 *   (`retryAfterMs` of an open circuit says when the breaker lets a probe through);
 * - the service's own database is down, restarting or has cut the connection (SQLSTATE class
 *   08, or one of the codes above), read from the error or from the driver error TypeORM wraps.
 */
export function isDependencyUnavailable(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  if (typeof name === 'string' && DEPENDENCY_UNAVAILABLE_NAMES.has(name)) return true;
  return isDatabaseUnavailable(error) || isDatabaseUnavailable((error as { driverError?: unknown } | null)?.driverError);
}

function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') return DATABASE_CONNECTION_ERRNOS.has(code) || DATABASE_UNAVAILABLE_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code);
  return typeof message === 'string' && DATABASE_CONNECTION_LOST.test(message);
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
