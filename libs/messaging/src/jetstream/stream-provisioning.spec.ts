import { auditStreamSettings, deadLetterStreamSettings, eventStreamSettings, streamReplicas, streamSettingsDifferences } from './stream-provisioning';

describe('stream replicas from the environment', () => {
  it('is 1 unless NATS_STREAM_REPLICAS says otherwise', () => {
    expect(streamReplicas({})).toBe(1);
    expect(streamReplicas({ NATS_STREAM_REPLICAS: '3' })).toBe(3);
  });

  it('refuses a count JetStream does not allow, naming NATS_STREAM_REPLICAS', () => {
    for (const value of ['0', '6', 'three', '1.5']) expect(() => streamReplicas({ NATS_STREAM_REPLICAS: value })).toThrow(/NATS_STREAM_REPLICAS/);
  });
});

describe("an externally provisioned stream's settings", () => {
  const expected = { ...eventStreamSettings({ name: 'ORDER', context: 'order', subjects: ['order.>'] }), num_replicas: 3 };
  const tenMinutes = 600_000_000_000;

  it('keep duplicates out for ten minutes', () => {
    expect(eventStreamSettings({ name: 'ORDER', context: 'order', subjects: ['order.>'] }).duplicate_window).toBe(tenMinutes);
    expect(deadLetterStreamSettings().duplicate_window).toBe(tenMinutes);
    expect(auditStreamSettings().duplicate_window).toBe(tenMinutes);
  });

  it('are good enough with the replicas and subjects expected and at least the duplicate window', () => {
    expect(streamSettingsDifferences(expected, { num_replicas: 3, duplicate_window: tenMinutes, subjects: ['order.>'] })).toEqual([]);
    expect(streamSettingsDifferences(expected, { num_replicas: 3, duplicate_window: 2 * tenMinutes, subjects: ['order.>'] })).toEqual([]);
  });

  it('name the stream, the setting and both values for each that differs', () => {
    expect(streamSettingsDifferences(expected, { num_replicas: 1, duplicate_window: 120_000_000_000, subjects: ['order.>', 'payment.>'] })).toEqual([
      'ORDER: num_replicas is 1, expected 3 (NATS_STREAM_REPLICAS)',
      'ORDER: duplicate_window is 120 s, expected at least 600 s',
      'ORDER: subjects are order.>, payment.>, expected order.>',
    ]);
  });
});
