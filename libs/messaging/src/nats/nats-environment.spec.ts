import { natsEnvironment } from './nats-environment';

describe('natsEnvironment', () => {
  it('connects without credentials and creates streams by default', () => {
    expect(natsEnvironment({})).toEqual({ credentials: undefined, streamProvisioning: 'create' });
  });

  it('takes a user with its password, and external stream provisioning', () => {
    expect(natsEnvironment({ NATS_USER: 'order-service', NATS_PASSWORD: 's3cret', NATS_STREAM_PROVISIONING: 'external' })).toEqual({
      credentials: { user: 'order-service', pass: 's3cret' },
      streamProvisioning: 'external',
    });
  });

  it('refuses a user without a password, and the reverse', () => {
    expect(() => natsEnvironment({ NATS_USER: 'order-service' })).toThrow('Set both NATS_USER and NATS_PASSWORD, or neither');
    expect(() => natsEnvironment({ NATS_PASSWORD: 's3cret' })).toThrow('Set both NATS_USER and NATS_PASSWORD, or neither');
  });

  it('refuses an unknown provisioning mode', () => {
    expect(() => natsEnvironment({ NATS_STREAM_PROVISIONING: 'manual' })).toThrow(/must be "create" or "external"\s*→ at NATS_STREAM_PROVISIONING/);
  });
});
