import { headers as natsHeaders } from '@nats-io/transport-node';
import { Body, Controller, INestApplication, Logger, Post } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { LocalCallerTokens } from '@orders/caller-tokens';
import { EnvelopeOf, HEADERS, OrderPlaced } from '@orders/contracts';
import { MessagingModule, NatsConnectionManager, OnEvent } from '@orders/messaging';
import { PrivateNatsServer, startPrivateNatsServer, waitFor } from '@orders/testing';
import { randomUUID } from 'node:crypto';
import type { DestinationStream } from 'pino';
import { createApp } from './bootstrap';
import { loggingModule } from './logging';

type LogLine = Record<string, unknown> & { msg?: string };

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

@Controller('echo')
class EchoController {
  private readonly logger = new Logger(EchoController.name);

  @Post()
  echo(@Body() body: { note: string; payment: { token: string } }): { ok: true } {
    this.logger.log({ msg: `echoing ${body.note}`, payment: body.payment });
    return { ok: true };
  }

  @OnEvent(OrderPlaced, { retryBaseDelayMs: 50 })
  async onOrderPlaced(@Payload() event: EnvelopeOf<typeof OrderPlaced>): Promise<void> {
    this.logger.log(`saw order ${event.data.orderId}`);
  }
}

describe('logs', () => {
  let nats: PrivateNatsServer;
  let app: INestApplication;
  let url: string;
  const lines: LogLine[] = [];
  const destination: DestinationStream = { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) };
  const callers = new LocalCallerTokens();
  const authorization = callers.authorizationFor('alice');

  beforeAll(async () => {
    process.env.SERVICE_VERSION = '1.2.3';
    nats = await startPrivateNatsServer();
    const module = { module: class LoggingTestModule {}, imports: [MessagingModule.forRoot({ serviceName: 'logging-test', natsUrl: nats.url })], controllers: [EchoController] };
    app = await createApp(module, { name: 'logging-test', port: 0, host: '127.0.0.1', consumesMessages: true, logDestination: destination, callers: callers.verifier });
    await app.init();
    await app.startAllMicroservices();
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
    await nats?.dispose();
    delete process.env.SERVICE_VERSION;
  });

  it("puts the request's ids, the service and its version on every line of an HTTP request, and redacts payment tokens", async () => {
    const requestId = `req-${randomUUID()}`;
    const response = await fetch(`${url}/echo`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [HEADERS.requestId]: requestId,
        [HEADERS.correlationId]: 'corr-http-1',
        [HEADERS.traceparent]: `00-${TRACE_ID}-00f067aa0ba902b7-01`,
        authorization,
      },
      body: JSON.stringify({ note: requestId, payment: { token: 'tok_secret_visa' } }),
    });
    expect(response.status).toBe(201);

    await waitFor(() => lines.some((line) => line.msg === 'request completed' && line.requestId === requestId), { description: 'the request completed line' });
    const ofRequest = lines.filter((line) => line.requestId === requestId);
    expect(ofRequest.map((line) => line.msg)).toEqual(expect.arrayContaining([`echoing ${requestId}`, 'request completed']));
    for (const line of ofRequest) {
      expect(line).toMatchObject({ requestId, correlationId: 'corr-http-1', traceId: TRACE_ID, service: 'logging-test', version: '1.2.3' });
    }
    const written = JSON.stringify(ofRequest);
    expect(written).not.toContain('tok_secret_visa');
    expect(written).not.toContain(authorization.slice('Bearer '.length));
    expect(ofRequest.find((line) => line.msg === `echoing ${requestId}`)).toMatchObject({ payment: { token: '[redacted]' } });
  });

  it("puts the event's correlation id on every line written while its handler runs, without logging its payload", async () => {
    const orderId = randomUUID();
    const event = OrderPlaced.create(
      {
        orderId,
        customerId: 'customer-1',
        items: [{ sku: 'SKU-1', quantity: 1 }],
        shippingAddress: { name: 'Ada', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
        paymentToken: 'tok_event_secret',
      },
      { correlationId: `corr-${orderId}` },
    );
    const headers = natsHeaders();
    headers.set(HEADERS.correlationId, event.correlationId);
    headers.set(HEADERS.traceparent, `00-${TRACE_ID}-00f067aa0ba902b7-01`);
    await app.get(NatsConnectionManager).jetstream().publish(OrderPlaced.subject, JSON.stringify(event), { msgID: event.id, headers });

    await waitFor(() => lines.some((line) => line.eventId === event.id && line.msg?.startsWith('Handled')), { timeoutMs: 10_000, description: 'the handled line' });
    const ofEvent = lines.filter((line) => line.eventId === event.id);
    expect(ofEvent.map((line) => line.msg)).toEqual([`saw order ${orderId}`, expect.stringMatching(/^Handled order\.placed \S+ in \d+ ms$/)]);
    for (const line of ofEvent) {
      expect(line).toMatchObject({ correlationId: event.correlationId, eventType: 'order.placed', traceId: TRACE_ID, service: 'logging-test', version: '1.2.3' });
    }
    expect(JSON.stringify(lines)).not.toContain('tok_event_secret');
  });
});

describe('logging settings', () => {
  it('refuses a level pino does not know, naming LOG_LEVEL', () => {
    expect(() => loggingModule({ service: 'logging-test' }, { LOG_LEVEL: 'verbose' })).toThrow(/→ at LOG_LEVEL/);
  });

  it('refuses a format other than json or pretty, naming LOG_FORMAT', () => {
    expect(() => loggingModule({ service: 'logging-test' }, { LOG_FORMAT: 'text' })).toThrow(/→ at LOG_FORMAT/);
  });
});
