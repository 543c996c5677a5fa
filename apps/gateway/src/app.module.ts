import { DynamicModule, Module, Type } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { CallerTokenIssuer } from '@orders/caller-tokens';
import { HealthModule } from '@orders/health';
import { MessagingModule } from '@orders/messaging';
import { createSecretKey } from 'node:crypto';
import { AccessTokens } from './application/access-tokens';
import { AuditTrail } from './application/audit-trail';
import { BusAdmin } from './application/bus-admin';
import { DeadLetterAdmin } from './application/dead-letter-admin';
import { DeadLetterOperations } from './application/dead-letter-operations';
import { ForwardRequestHandler } from './application/forward-request.handler';
import { ProductCatalog } from './application/product-catalog';
import { RateLimiter } from './application/rate-limiter';
import { ServiceStatusAdmin } from './application/service-status-admin';
import { StockAdmin } from './application/stock-admin';
import { Upstream } from './application/upstream';
import { GatewayConfig, SERVICE_NAME } from './config';
import { FetchUpstream } from './infrastructure/fetch-upstream';
import { FlexibleRateLimiter, RateLimitSettings } from './infrastructure/flexible-rate-limiter';
import { JetStreamAuditTrail } from './infrastructure/jetstream-audit-trail';
import { JwtAccessTokens } from './infrastructure/jwt-access-tokens';
import { NatsBusAdmin } from './infrastructure/nats-bus-admin';
import { NatsDeadLetterAdmin } from './infrastructure/nats-dead-letter-admin';
import { NatsProductCatalog } from './infrastructure/nats-product-catalog';
import { NatsServiceStatusAdmin } from './infrastructure/nats-service-status-admin';
import { NatsStockAdmin } from './infrastructure/nats-stock-admin';
import { UpstreamSettings } from './infrastructure/upstream-settings';
import { AdminOrdersController } from './interface/admin-orders.controller';
import { AuditController } from './interface/audit.controller';
import { AuthGuard } from './interface/auth.guard';
import { BffProxyController } from './interface/bff-proxy.controller';
import { BusController } from './interface/bus.controller';
import { DeadLettersController } from './interface/dead-letters.controller';
import { DevLoginController } from './interface/dev-login.controller';
import { OrdersController } from './interface/orders.controller';
import { ProductsController } from './interface/products.controller';
import { PlacementShedding } from './interface/placement-shedding';
import { RateLimitMiddleware } from './interface/rate-limit.middleware';
import { ServicesController } from './interface/services.controller';
import { StockAdminController } from './interface/stock-admin.controller';
import { UpstreamErrorsInterceptor } from './interface/upstream-errors.interceptor';

const ACCESS_TOKEN_TTL_SECONDS = 60 * 60;

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig, serviceName = SERVICE_NAME): DynamicModule {
    const controllers: Type[] = [
      ProductsController,
      OrdersController,
      BffProxyController,
      DeadLettersController,
      StockAdminController,
      AdminOrdersController,
      BusController,
      AuditController,
      ServicesController,
    ];
    // Without the flag the route does not exist at all, so it answers 404 like any unknown route.
    if (config.AUTH_DEV_LOGIN_ENABLED) controllers.unshift(DevLoginController);
    const upstreamSettings: UpstreamSettings = {
      baseUrls: { 'order-service': config.ORDER_SERVICE_URL, 'web-bff': config.WEB_BFF_URL, 'mobile-bff': config.MOBILE_BFF_URL },
      timeoutMs: config.UPSTREAM_TIMEOUT_MS,
    };
    return {
      module: GatewayModule,
      imports: [
        MessagingModule.forRoot({ serviceName, natsUrl: config.NATS_URL }),
        HealthModule.forRoot({ database: false }),
        JwtModule.register({
          // A key object, not the string: given a string, jsonwebtoken first tries to parse it as a
          // PEM public key on every verification, which cost a fifth of the gateway's CPU (docs/benchmarks.md).
          secret: createSecretKey(Buffer.from(config.JWT_SECRET)),
          signOptions: { algorithm: 'HS256', issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, expiresIn: ACCESS_TOKEN_TTL_SECONDS },
          verifyOptions: { algorithms: ['HS256'], issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE },
        }),
      ],
      controllers,
      providers: [
        ForwardRequestHandler,
        { provide: CallerTokenIssuer, useValue: new CallerTokenIssuer(config.CALLER_TOKEN_PRIVATE_KEY) },
        { provide: AccessTokens, useClass: JwtAccessTokens },
        { provide: Upstream, useClass: FetchUpstream },
        { provide: ProductCatalog, useClass: NatsProductCatalog },
        { provide: DeadLetterAdmin, useClass: NatsDeadLetterAdmin },
        { provide: AuditTrail, useClass: JetStreamAuditTrail },
        DeadLetterOperations,
        { provide: StockAdmin, useClass: NatsStockAdmin },
        { provide: BusAdmin, useClass: NatsBusAdmin },
        { provide: ServiceStatusAdmin, useClass: NatsServiceStatusAdmin },
        { provide: UpstreamSettings, useValue: upstreamSettings },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_INTERCEPTOR, useClass: UpstreamErrorsInterceptor },
        { provide: RateLimiter, useFactory: () => FlexibleRateLimiter.create(rateLimitSettings(config)) },
        RateLimitMiddleware,
        PlacementShedding,
      ],
    };
  }
}

function rateLimitSettings(config: GatewayConfig): RateLimitSettings {
  return {
    policies: {
      api: { points: config.RATE_LIMIT_POINTS, durationSeconds: config.RATE_LIMIT_DURATION_S },
      login: { points: config.RATE_LIMIT_LOGIN_POINTS, durationSeconds: config.RATE_LIMIT_LOGIN_DURATION_S },
      orders: { points: config.RATE_LIMIT_ORDERS_POINTS, durationSeconds: config.RATE_LIMIT_ORDERS_DURATION_S },
    },
    postgresUrl: config.RATE_LIMIT_STORE === 'postgres' ? config.RATE_LIMIT_DATABASE_URL : undefined,
  };
}
