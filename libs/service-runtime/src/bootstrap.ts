import { DynamicModule, INestApplication, Module, OnApplicationShutdown, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { CallerTokenVerifier } from '@orders/caller-tokens';
import { JetStreamServer, MESSAGING_DATABASE, NatsConnectionManager } from '@orders/messaging';
import { HttpMetrics, MessageHandlingMetrics, MetricsModule } from '@orders/metrics';
import { startTracing, Tracing } from '@orders/tracing';
import { Logger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { DataSource } from 'typeorm';
import { callerAuthentication } from './caller';
import { answerUnparsableRequests } from './client-error';
import { jetStreamServerOptions, requestDeadlineMs } from './config';
import { deadlineMiddleware } from './deadline.middleware';
import { HttpErrorFilter } from './http-error.filter';
import { loggingModule } from './logging';
import { requestIdMiddleware } from './request-id.middleware';

interface CommonBootstrapOptions {
  /** The app's name in its logs and its metrics. */
  name: string;
  port: number;
  host: string;
  /** Services consume events and answer queries; edge apps only ask. */
  consumesMessages: boolean;
  /**
   * An edge app's own Express set-up (security headers, CORS, rate limiting, its body
   * parser), installed after the request id and before bodies are parsed and routes run,
   * so a request can be turned away before any work is done for it.
   */
  configureHttp?: (app: NestExpressApplication) => void;
  /** Where log lines go: standard output unless a test reads them. */
  logDestination?: DestinationStream;
}

/**
 * The gateway faces clients: it authenticates them itself and starts every request's deadline
 * instead of inheriting the caller's `x-deadline`. Every other app is behind it and verifies the
 * caller token of each request and query it serves with `callers` (ADR 0011).
 */
export type BootstrapOptions = CommonBootstrapOptions & ({ edge: true } | { edge?: false; callers: CallerTokenVerifier });

/** Holds an app's own module and what every app serves besides it. */
@Module({})
class ServiceRootModule {}

/** Spans still buffered when the app stops would be lost with the process. */
class TracingFlush implements OnApplicationShutdown {
  constructor(private readonly tracing: Tracing) {}

  onApplicationShutdown(): Promise<void> {
    return this.tracing.flush();
  }
}

/** Creates, wires and starts one app the same way for every service; each serves `GET /metrics`. */
export async function createApp(module: Type | DynamicModule, options: BootstrapOptions): Promise<INestApplication> {
  // Before the HTTP server exists, so that its requests get spans.
  const tracing = startTracing({ serviceName: options.name });
  const logging = loggingModule({ service: options.name, destination: options.logDestination });
  const root: DynamicModule = {
    module: ServiceRootModule,
    imports: [logging, module, MetricsModule.forRoot({ service: options.name })],
    providers: [{ provide: TracingFlush, useValue: new TracingFlush(tracing) }],
  };
  const app = await NestFactory.create<NestExpressApplication>(root, { bufferLogs: true, bodyParser: true });
  app.useLogger(app.get(Logger));
  // Nest would hold every line until start-up is over: a start-up waiting through a NATS or database outage would say nothing meanwhile.
  app.flushLogs();
  // First, so that requests turned away by any later middleware are measured too.
  app.use(app.get(HttpMetrics).middleware);
  app.use(requestIdMiddleware);
  app.use(deadlineMiddleware({ maxMs: requestDeadlineMs(), edge: options.edge ?? false }));
  if (!options.edge) app.use(callerAuthentication(options.callers));
  answerUnparsableRequests(app.getHttpServer());
  options.configureHttp?.(app);
  app.useGlobalFilters(new HttpErrorFilter());
  app.enableShutdownHooks();
  if (options.consumesMessages) {
    // inheritAppConfig: the HTTP error filter rethrows handler errors as they are, so the transport can tell permanent ones.
    const callers = options.edge ? undefined : options.callers;
    const strategy = new JetStreamServer(app.get(NatsConnectionManager), {
      ...jetStreamServerOptions(),
      database: app.get<DataSource | null>(MESSAGING_DATABASE) ?? undefined,
      observer: app.get(MessageHandlingMetrics),
      callers,
    });
    app.connectMicroservice({ strategy }, { inheritAppConfig: true });
  }
  return app;
}

export async function bootstrapApp(module: Type | DynamicModule, options: BootstrapOptions): Promise<INestApplication> {
  const app = await createApp(module, options);
  // Initialise first: consumers must not receive messages before every module (e.g. the CQRS buses) is ready.
  await app.init();
  await app.startAllMicroservices();
  await app.listen(options.port, options.host);
  return app;
}
