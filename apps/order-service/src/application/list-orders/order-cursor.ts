import { DomainError, isId } from '@orders/shared-kernel';
import { OrderPosition } from '../order-view-reader';

/** A cursor this API did not hand out (or one that was tampered with). */
export class InvalidCursorError extends DomainError {
  constructor() {
    super('INVALID_CURSOR', 'The cursor is not one a previous page returned');
  }
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * The times an order can have been created at: from the Unix epoch to the end of year 9999. A
 * JavaScript date reaches 271,821 BC, long before PostgreSQL's timestamptz begins (4713 BC), so a
 * cursor's time is held to this window before it goes anywhere near a query.
 */
const EARLIEST_ORDER_TIME = Date.UTC(1970, 0, 1);
const LATEST_ORDER_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Opaque to callers: base64url of the last order's creation time and id. */
export function encodeCursor(position: OrderPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt.toISOString(), position.id])).toString('base64url');
}

export function decodeCursor(cursor: string): OrderPosition {
  if (!BASE64URL.test(cursor)) throw new InvalidCursorError();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(decoded) || decoded.length !== 2) throw new InvalidCursorError();
  const [time, id] = decoded as unknown[];
  if (typeof time !== 'string' || typeof id !== 'string' || !isId(id)) throw new InvalidCursorError();
  const createdAt = new Date(time);
  if (!isOrderTime(createdAt) || createdAt.toISOString() !== time) throw new InvalidCursorError();
  return { createdAt, id: id.toLowerCase() };
}

function isOrderTime(time: Date): boolean {
  const ms = time.getTime();
  return ms >= EARLIEST_ORDER_TIME && ms <= LATEST_ORDER_TIME;
}
