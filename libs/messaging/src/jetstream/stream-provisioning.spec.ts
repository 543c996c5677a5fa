import { streamReplicas } from './stream-provisioning';

describe('stream replicas from the environment', () => {
  it('is 1 unless NATS_STREAM_REPLICAS says otherwise', () => {
    expect(streamReplicas({})).toBe(1);
    expect(streamReplicas({ NATS_STREAM_REPLICAS: '3' })).toBe(3);
  });

  it('refuses a count JetStream does not allow, naming NATS_STREAM_REPLICAS', () => {
    for (const value of ['0', '6', 'three', '1.5']) expect(() => streamReplicas({ NATS_STREAM_REPLICAS: value })).toThrow(/NATS_STREAM_REPLICAS/);
  });
});
