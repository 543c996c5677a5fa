import { JsMsg } from '@nats-io/jetstream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { AckBatch } from './ack-batch';

function message(): JsMsg & { ack: jest.Mock } {
  return { ack: jest.fn() } as unknown as JsMsg & { ack: jest.Mock };
}

describe('AckBatch', () => {
  it('acks nothing while this turn’s handlers finish, then all of them together in the next', async () => {
    const batch = new AckBatch();
    const handled = [message(), message(), message()];
    for (const each of handled) {
      batch.add(each);
      await Promise.resolve();
    }
    expect(handled.map((each) => each.ack.mock.calls.length)).toEqual([0, 0, 0]);
    await nextTurn();
    expect(handled.map((each) => each.ack.mock.calls.length)).toEqual([1, 1, 1]);
  });

  it('acks what is waiting at once when flushed, and nothing twice', async () => {
    const batch = new AckBatch();
    const handled = [message(), message()];
    for (const each of handled) batch.add(each);
    batch.flush();
    expect(handled.map((each) => each.ack.mock.calls.length)).toEqual([1, 1]);
    await nextTurn();
    batch.flush();
    expect(handled.map((each) => each.ack.mock.calls.length)).toEqual([1, 1]);
  });
});
