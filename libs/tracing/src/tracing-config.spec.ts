import { serviceVersionOf, tracingConfig } from './tracing-config';

describe('tracing settings from the environment', () => {
  it('exports nothing, every 5 s once it does, unless told otherwise', () => {
    expect(tracingConfig({})).toMatchObject({ OTEL_TRACES_EXPORTER: 'none', OTEL_BSP_SCHEDULE_DELAY: 5_000 });
    expect(tracingConfig({ OTEL_TRACES_EXPORTER: ' OTLP ', OTEL_BSP_SCHEDULE_DELAY: '500' })).toMatchObject({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_BSP_SCHEDULE_DELAY: 500 });
    expect(tracingConfig({ OTEL_TRACES_EXPORTER: '' }).OTEL_TRACES_EXPORTER).toBe('none');
  });

  it('refuses a delay between exports that is not a whole number of milliseconds above zero, naming OTEL_BSP_SCHEDULE_DELAY', () => {
    for (const value of ['0', 'soon', '1.5']) expect(() => tracingConfig({ OTEL_BSP_SCHEDULE_DELAY: value })).toThrow(/OTEL_BSP_SCHEDULE_DELAY/);
  });

  it('refuses an OTLP endpoint that is not an HTTP URL, naming the variable', () => {
    expect(() => tracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(/→ at OTEL_EXPORTER_OTLP_ENDPOINT/);
    expect(() => tracingConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'grpc://collector:4317' })).toThrow(/→ at OTEL_EXPORTER_OTLP_TRACES_ENDPOINT/);
  });

  it('refuses OTLP headers that are not key=value pairs, naming OTEL_EXPORTER_OTLP_HEADERS', () => {
    expect(tracingConfig({ OTEL_EXPORTER_OTLP_HEADERS: 'api-key=abc==, tenant=shop' }).OTEL_EXPORTER_OTLP_HEADERS).toBe('api-key=abc==, tenant=shop');
    expect(() => tracingConfig({ OTEL_EXPORTER_OTLP_HEADERS: 'api-key: abc' })).toThrow(/key=value pairs[\s\S]*→ at OTEL_EXPORTER_OTLP_HEADERS/);
  });

  it('refuses an OTLP timeout that is not a whole number of milliseconds above zero, naming OTEL_EXPORTER_OTLP_TIMEOUT', () => {
    expect(() => tracingConfig({ OTEL_EXPORTER_OTLP_TIMEOUT: '10s' })).toThrow(/OTEL_EXPORTER_OTLP_TIMEOUT/);
  });
});

describe('service version', () => {
  it('is SERVICE_VERSION, else the version npm runs the app as, else dev', () => {
    expect(serviceVersionOf(tracingConfig({ SERVICE_VERSION: '1.2.3', npm_package_version: '0.1.0' }))).toBe('1.2.3');
    expect(serviceVersionOf(tracingConfig({ npm_package_version: '0.1.0' }))).toBe('0.1.0');
    expect(serviceVersionOf(tracingConfig({}))).toBe('dev');
  });

  it('refuses an empty SERVICE_VERSION, naming it', () => {
    expect(() => tracingConfig({ SERVICE_VERSION: '' })).toThrow(/SERVICE_VERSION/);
  });
});
