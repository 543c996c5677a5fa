import { DEFAULT_CONSUMER_OPTIONS, pullBatchSize } from './consumer-options';

describe('pullBatchSize', () => {
  it('pulls a few handler turns ahead on the normal lane, never more than the server lets be unacked', () => {
    expect(pullBatchSize(DEFAULT_CONSUMER_OPTIONS)).toBe(64);
    expect(pullBatchSize({ ...DEFAULT_CONSUMER_OPTIONS, maxAckPending: 40 })).toBe(40);
  });

  it('pulls only what the handlers can take on the compensation lane', () => {
    expect(pullBatchSize({ ...DEFAULT_CONSUMER_OPTIONS, lane: 'compensation' })).toBe(16);
  });
});
