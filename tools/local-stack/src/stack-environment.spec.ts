import { inheritedEnvironment, processEnvironment, StackWiring } from './stack-environment';
import { APPS, mapProcesses } from './stack-topology';

const WIRING: StackWiring = {
  urls: mapProcesses((name) => `http://127.0.0.1:${3000 + name.length}`),
  natsUrl: 'nats://127.0.0.1:4222',
  databaseUrls: { order: 'postgres://o', inventory: 'postgres://i', payment: 'postgres://p', shipping: 'postgres://s' },
  jwt: { secret: 's', issuer: 'i', audience: 'a' },
  callerTokenKeys: { CALLER_TOKEN_PRIVATE_KEY: 'private', CALLER_TOKEN_PUBLIC_KEY: 'public' },
  logLevel: 'info',
  logFormat: 'json',
};

describe('the environment of the stack’s processes', () => {
  it('passes the launcher’s tracing settings on to every app, which its wiring leaves alone, but not the admin database URL', () => {
    const tracing = { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_BSP_SCHEDULE_DELAY: '200' };
    const inherited = inheritedEnvironment({ ...tracing, DATABASE_URL: 'postgres://admin' });

    expect(inherited).toEqual(tracing);
    for (const app of APPS) expect(Object.keys(processEnvironment(app, WIRING)).filter((name) => name.startsWith('OTEL_'))).toEqual([]);
  });
});

describe('the environment of a replica', () => {
  it('listens on the replica’s own port, while callers are wired to the app’s address', () => {
    const env = processEnvironment('gateway', WIRING, '4567');
    expect(env.PORT).toBe('4567');
    expect(env.ORDER_SERVICE_URL).toBe(WIRING.urls['order-service']);
  });

  it('gives every app the stream replicas of a NATS cluster, and leaves the setting alone on a single server', () => {
    for (const app of APPS) expect(processEnvironment(app, { ...WIRING, natsStreamReplicas: 3 }).NATS_STREAM_REPLICAS).toBe('3');
    expect(processEnvironment('payment-provider-sim', { ...WIRING, natsStreamReplicas: 3 }).NATS_STREAM_REPLICAS).toBeUndefined();
    for (const app of APPS) expect(processEnvironment(app, WIRING)).not.toHaveProperty('NATS_STREAM_REPLICAS');
  });
});
