import { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { GatewayModule } from '../../app.module';
import { GatewayConfig } from '../../config';
import { BFF_PATHS, MOBILE_BFF_TAG, WEB_BFF_TAG } from './bff-routes';
import { errorBodySchema } from './gateway-schemas';
import { ERROR_BODY_SCHEMA_NAME, openApiSchema } from './openapi-objects';

const API_DOCS_PATH = '/docs';
const OPENAPI_DOCUMENT_PATH = '/docs/openapi.json';
const BEARER_SCHEME = 'bearer';

/**
 * The gateway's OpenAPI 3.1 document, generated from its controllers' decorators and the zod
 * schemas the code validates with, plus the BFF routes it forwards. Only the API under /api is
 * in it: health probes and metrics serve the platform (probes, Prometheus), not API clients.
 */
function buildApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Order platform API')
    .setDescription(
      [
        'Place, read and cancel orders; the gateway is the only public entry point.',
        'Authenticate with `Authorization: Bearer <JWT>` (locally, `POST /api/v1/auth/dev-login` issues one). Every error answers with the same body, `ErrorBody`, whose `requestId` is also in the `X-Request-Id` header.',
        'Every route under /api is rate limited per user (per client IP before login): each answer says how much is left in `X-RateLimit-*` headers, and a refused request gets 429 with `Retry-After`.',
        'Money is always in integer minor units (`{"amount": 1999, "currency": "EUR"}` is €19.99).',
      ].join('\n\n'),
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token issued by the platform (HS256, one hour).' }, BEARER_SCHEME)
    .addSecurityRequirements(BEARER_SCHEME)
    .addTag('auth', 'Access tokens')
    .addTag('products', 'The catalogue')
    .addTag('orders', 'Placing, reading and cancelling orders')
    .addTag(WEB_BFF_TAG, 'Order pages for the web shop, aggregated by the web backend-for-frontend')
    .addTag(MOBILE_BFF_TAG, 'Lean order views for the mobile app, from the mobile backend-for-frontend')
    .addTag('admin', 'Operations: the dead-letter queue and stock levels (role `ops`)')
    .build();
  config.components = { ...config.components, schemas: { [ERROR_BODY_SCHEMA_NAME]: openApiSchema(errorBodySchema, 'output') } };

  const document = SwaggerModule.createDocument(app, config, {
    include: [GatewayModule],
    operationIdFactory: (controller, method) => `${lowerFirst(controller.replace(/Controller$/, ''))}.${method}`,
  });
  document.paths = { ...document.paths, ...BFF_PATHS };
  return document;
}

/**
 * The API's own content security policy allows nothing; Swagger UI needs its scripts, styles
 * (some inline) and icons (data: URIs), all from the gateway itself, and to call the API.
 */
const docsContentSecurityPolicy = helmet.contentSecurityPolicy({
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
    frameAncestors: ["'none'"],
  },
});

/**
 * Serves Swagger UI at /docs and the document at /docs/openapi.json, to anyone (the document is
 * no secret; every route still checks its caller), unless API_DOCS_ENABLED=false. Swagger UI's
 * assets come from the swagger-ui-dist package, so the page needs nothing from the internet.
 * Install after the edge's own middleware, whose content security policy this one relaxes for /docs.
 */
export function serveApiDocs(app: NestExpressApplication, config: Pick<GatewayConfig, 'API_DOCS_ENABLED'>): void {
  if (!config.API_DOCS_ENABLED) return;
  app.use(API_DOCS_PATH, docsContentSecurityPolicy);
  SwaggerModule.setup(API_DOCS_PATH, app, buildApiDocument(app), {
    jsonDocumentUrl: OPENAPI_DOCUMENT_PATH,
    raw: ['json'],
    customSiteTitle: 'Order platform API',
    // Swagger UI would otherwise send the document to an online validator.
    swaggerOptions: { validatorUrl: null },
  });
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}
