import { decodeCursor, encodeCursor, InvalidCursorError } from './order-cursor';

describe('order cursor', () => {
  const position = { createdAt: new Date('2026-01-01T10:00:00.123Z'), id: '6f1c1a7e-8a57-4a57-9d5e-0f8f0f5d1b11' };
  const cursorAt = (time: string) => Buffer.from(JSON.stringify([time, position.id])).toString('base64url');

  it('round-trips a position through an opaque base64url string', () => {
    const cursor = encodeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(position);
  });

  it.each(['1970-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z'])('takes a time at the edge of the window orders are created in, %s', (time) => {
    expect(decodeCursor(encodeCursor({ createdAt: new Date(time), id: position.id })).createdAt.toISOString()).toBe(time);
  });

  it.each([
    ['not base64url', 'not a cursor!'],
    ['not JSON', Buffer.from('nope').toString('base64url')],
    ['the wrong shape', Buffer.from(JSON.stringify({ createdAt: '2026-01-01T10:00:00.000Z' })).toString('base64url')],
    ['a bad time', Buffer.from(JSON.stringify(['yesterday', position.id])).toString('base64url')],
    ['from before PostgreSQL’s earliest time', cursorAt('-010000-01-01T00:00:00.000Z')],
    ['from before the Unix epoch', cursorAt('1969-12-31T23:59:59.999Z')],
    ['from after year 9999', cursorAt('+010000-01-01T00:00:00.000Z')],
    ['from the latest time JavaScript knows', cursorAt('+275760-09-13T00:00:00.000Z')],
    ['a bad id', Buffer.from(JSON.stringify([position.createdAt.toISOString(), 'x'])).toString('base64url')],
  ])('rejects a cursor that is %s', (_label, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(InvalidCursorError);
  });
});
