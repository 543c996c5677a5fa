import { Registry } from 'prom-client';
import { UpstreamResponse } from '../application/upstream';
import { PlacementShedding } from './placement-shedding';

const answer = (status: number, body: unknown): UpstreamResponse => ({ status, headers: { 'retry-after': '1' }, body: Buffer.from(JSON.stringify(body)) });
const atCapacity = { code: 'AT_CAPACITY', message: 'busy', details: { retryAfterSeconds: 1 } };

describe('PlacementShedding', () => {
  it('refuses placements for 100 ms after an AT_CAPACITY answer, with that answer and the new request id', () => {
    const shedding = new PlacementShedding(new Registry());
    expect(shedding.refusalFor('r0', 1_000)).toBeUndefined();

    shedding.noted(answer(503, { error: atCapacity, requestId: 'upstream' }), 1_000);

    const refusal = shedding.refusalFor('r1', 1_099);
    expect(refusal && { ...refusal, body: JSON.parse(refusal.body.toString()) }).toEqual({
      status: 503,
      headers: { 'retry-after': '1' },
      body: { error: atCapacity, requestId: 'r1' },
    });
    expect(shedding.refusalFor('r2', 1_100)).toBeUndefined();
  });

  it('ignores any other answer, including other 503s and bodies that are not JSON', () => {
    const shedding = new PlacementShedding(new Registry());
    shedding.noted(answer(202, { orderId: 'o', status: 'PENDING' }), 0);
    shedding.noted(answer(503, { error: { code: 'UPSTREAM_UNAVAILABLE' }, requestId: 'x' }), 0);
    shedding.noted({ status: 503, headers: {}, body: Buffer.from('<html>') }, 0);
    expect(shedding.refusalFor('r', 1)).toBeUndefined();
  });
});
