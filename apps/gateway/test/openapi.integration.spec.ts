import { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { freePort, PrivateNatsServer, startPrivateNatsServer } from '@orders/testing';
import { METHODS } from 'node:http';
import { z } from 'zod';
import { errorBodySchema } from '../src/interface/api-docs/gateway-schemas';
import { GatewayUnderTest, startGateway, TEST_JWT_SECRET } from './gateway-under-test';

process.env.LOG_LEVEL ??= 'fatal';

// The slice of OpenAPI 3.1 these tests read.
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: object;
  examples?: Record<string, { value: unknown }>;
}
interface Media {
  schema?: { $ref?: string };
  examples?: Record<string, { value: unknown }>;
}
interface Response {
  headers?: Record<string, unknown>;
  content?: Record<string, Media>;
}
interface Operation {
  operationId?: string;
  tags?: string[];
  security?: Array<Record<string, string[]>>;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, Response>;
}
interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, object>; securitySchemes: Record<string, object> };
  security?: Array<Record<string, string[]>>;
  tags?: Array<{ name: string }>;
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const ERROR_BODY_REF = '#/components/schemas/ErrorBody';

function operationsOf(document: OpenApiDocument): Array<{ path: string; method: string; operation: Operation }> {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => HTTP_METHODS.includes(method))
      .map(([method, operation]) => ({ path, method, operation })),
  );
}

/** A route as Express serves it: its path pattern and methods, `any` for a route that answers every method. */
interface ServedRoute {
  path: string;
  methods: string[] | 'any';
}

/** The routes the running app serves under /api, read from Express's router, where Nest registered them. */
function servedApiRoutes(app: INestApplication): ServedRoute[] {
  const express = app.getHttpAdapter().getInstance() as { router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> } };
  return express.router.stack.flatMap(({ route }) => {
    if (!route || !/^\/api\//i.test(route.path)) return [];
    const methods = Object.keys(route.methods).filter((method) => route.methods[method]);
    const answersEveryMethod = METHODS.every((method) => methods.includes(method.toLowerCase()));
    return [{ path: route.path, methods: answersEveryMethod ? 'any' : methods }];
  });
}

/** Whether a served route answers a documented operation: the same path, or any path below a wildcard route. */
function covers(route: ServedRoute, path: string, method: string): boolean {
  const template = route.path.replace(/:(\w+)/g, '{$1}');
  const wildcard = template.indexOf('*');
  const samePath = wildcard === -1 ? template === path : path.startsWith(template.slice(0, wildcard));
  return samePath && (route.methods === 'any' || route.methods.includes(method));
}

/** Every `$ref` anywhere in the document, with where it is. */
function refsIn(value: unknown, at = '#'): Array<{ ref: string; at: string }> {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => (key === '$ref' && typeof child === 'string' ? [{ ref: child, at }] : refsIn(child, `${at}/${key}`)));
}

function resolve(document: OpenApiDocument, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<unknown>((node, token) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[token] : undefined), document);
}

/** A concrete URL for an operation, with its documented examples as path parameters. */
function concretePath(path: string, operation: Operation): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const parameter = operation.parameters?.find((candidate) => candidate.in === 'path' && candidate.name === name);
    const [example] = Object.values(parameter?.examples ?? {});
    if (example === undefined) throw new Error(`The path parameter ${name} of ${path} has no example`);
    return encodeURIComponent(String(example.value));
  });
}

/** Whether a JSON Schema shown in the document accepts a value. */
function accepts(schema: unknown, value: unknown): boolean {
  return z.fromJSONSchema(schema as z.core.JSONSchema.JSONSchema).safeParse(value).success;
}

function errorCodesDocumented(response: Response | undefined): string[] {
  return Object.values(response?.content?.['application/json']?.examples ?? {}).map((example) => errorBodySchema.parse(example.value).error.code);
}

describe('API documentation', () => {
  let nats: PrivateNatsServer;
  let gateway: GatewayUnderTest;
  let document: OpenApiDocument;
  const token = new JwtService({ secret: TEST_JWT_SECRET }).sign(
    { sub: 'alice', roles: ['customer', 'ops'] },
    { algorithm: 'HS256', issuer: 'order-platform', audience: 'order-platform', expiresIn: 600 },
  );

  beforeAll(async () => {
    nats = await startPrivateNatsServer();
    // Nothing listens there: the services behind the gateway are unreachable, so no request does any work.
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    gateway = await startGateway(nats.url, { AUTH_DEV_LOGIN_ENABLED: 'true', ORDER_SERVICE_URL: nowhere, WEB_BFF_URL: nowhere, MOBILE_BFF_URL: nowhere });
    const response = await fetch(`${gateway.url}/docs/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    document = (await response.json()) as OpenApiDocument;
  });

  afterAll(async () => {
    await gateway?.app.close();
    await nats?.dispose();
  });

  it('is a well-formed OpenAPI 3.1 document whose references all resolve', () => {
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    expect(document.info).toEqual(expect.objectContaining({ title: expect.any(String), version: expect.any(String) }));

    const operations = operationsOf(document);
    const operationIds = operations.map(({ operation }) => operation.operationId);
    expect(new Set(operationIds).size).toBe(operations.length);
    expect(operationIds).not.toContain(undefined);

    const refs = refsIn(document);
    expect(refs.length).toBeGreaterThan(0);
    for (const { ref, at } of refs) expect({ at, ref, resolved: resolve(document, ref) !== undefined }).toEqual({ at, ref, resolved: true });

    const declaredTags = new Set(document.tags?.map((tag) => tag.name));
    for (const { path, method, operation } of operations) {
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => name).sort();
      const pathParameters = (operation.parameters ?? []).filter((parameter) => parameter.in === 'path');
      expect({ operation: `${method} ${path}`, parameters: pathParameters.map((parameter) => parameter.name).sort() }).toEqual({
        operation: `${method} ${path}`,
        parameters: templated,
      });
      for (const parameter of pathParameters) {
        expect(parameter.required).toBe(true);
        for (const example of Object.values(parameter.examples ?? {}))
          expect({ parameter: parameter.name, valid: accepts(parameter.schema, example.value) }).toEqual({ parameter: parameter.name, valid: true });
      }
      for (const requirement of operation.security ?? document.security ?? []) {
        for (const scheme of Object.keys(requirement)) expect(document.components.securitySchemes).toHaveProperty([scheme]);
      }
      expect(operation.tags?.every((tag) => declaredTags.has(tag))).toBe(true);
    }
    expect(document.components.securitySchemes.bearer).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }));
  });

  it('documents every route the gateway serves under /api with its method, and nothing else', () => {
    const served = servedApiRoutes(gateway.app);
    const operations = operationsOf(document);

    const undocumented = served.filter((route) =>
      route.methods === 'any'
        ? !operations.some(({ path, method }) => covers(route, path, method))
        : route.methods.some((method) => !operations.some((operation) => operation.method === method && covers(route, operation.path, method))),
    );
    expect(undocumented).toEqual([]);

    const notServed = operations.filter(({ path, method }) => !served.some((route) => covers(route, path, method))).map(({ path, method }) => `${method} ${path}`);
    expect(notServed).toEqual([]);
    // Health probes and metrics serve the platform, not API clients.
    expect(Object.keys(document.paths).filter((path) => !path.startsWith('/api/'))).toEqual([]);
  });

  it('gives every operation examples, rate-limit headers and error answers in the one shared error shape', () => {
    for (const { path, method, operation } of operationsOf(document)) {
      const name = `${method} ${path}`;
      const statuses = Object.keys(operation.responses);
      expect({ name, clientErrors: statuses.some((status) => /^4\d\d$/.test(status)) }).toEqual({ name, clientErrors: true });
      expect({ name, rateLimited: operation.responses['429']?.headers }).toEqual({ name, rateLimited: expect.objectContaining({ 'Retry-After': expect.anything() }) });

      for (const [status, response] of Object.entries(operation.responses)) {
        const media = response.content?.['application/json'];
        const examples = Object.values(media?.examples ?? {});
        expect({ name, status, examples: examples.length > 0 }).toEqual({ name, status, examples: true });
        if (/^[45]\d\d$/.test(status)) {
          expect({ name, status, schema: media?.schema }).toEqual({ name, status, schema: { $ref: ERROR_BODY_REF } });
          for (const example of examples) expect({ name, status, valid: accepts(document.components.schemas.ErrorBody, example.value) }).toEqual({ name, status, valid: true });
        } else {
          // Examples are checked against the zod schemas when the document is built; this checks the JSON Schema it shows agrees.
          for (const example of examples) expect({ name, status, valid: accepts(media?.schema, example.value) }).toEqual({ name, status, valid: true });
          expect({ name, status, headers: Object.keys(response.headers ?? {}) }).toEqual({
            name,
            status,
            headers: expect.arrayContaining(['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset']),
          });
        }
      }

      const body = operation.requestBody?.content['application/json'];
      if (body) {
        const examples = Object.values(body.examples ?? {});
        expect({ name, bodyExamples: examples.length > 0 }).toEqual({ name, bodyExamples: true });
        for (const example of examples) expect({ name, valid: accepts(body.schema, example.value) }).toEqual({ name, valid: true });
      }
    }
    expect(document.paths['/api/v1/orders']?.post?.responses['202']?.headers).toHaveProperty(['Location']);
  });

  it('marks exactly the operations that answer 401 without a token as needing one, with a documented error', async () => {
    for (const { path, method, operation } of operationsOf(document)) {
      const name = `${method} ${path}`;
      const response = await fetch(`${gateway.url}${concretePath(path, operation)}`, { method: method.toUpperCase() });
      const body = errorBodySchema.parse(await response.json());
      const needsToken = (operation.security ?? document.security ?? []).length > 0;
      expect({ name, unauthenticated: response.status === 401 }).toEqual({ name, unauthenticated: needsToken });
      expect({ name, documented: errorCodesDocumented(operation.responses[response.status]) }).toEqual({ name, documented: expect.arrayContaining([body.error.code]) });
    }
  });

  it('requires an Idempotency-Key exactly where the document says so, and answers an authenticated caller as documented', async () => {
    for (const { path, method, operation } of operationsOf(document)) {
      const name = `${method} ${path}`;
      const keyRequired = operation.parameters?.some((parameter) => parameter.in === 'header' && parameter.name === 'Idempotency-Key' && parameter.required) ?? false;
      const response = await fetch(`${gateway.url}${concretePath(path, operation)}`, { method: method.toUpperCase(), headers: { authorization: `Bearer ${token}` } });
      expect({ name, documented: operation.responses[response.status] !== undefined }).toEqual({ name, documented: true });
      if (response.status < 400) {
        const schema = operation.responses[response.status].content?.['application/json']?.schema;
        expect({ name, matchesSchema: accepts(schema, await response.json()) }).toEqual({ name, matchesSchema: true });
        continue;
      }
      const { code } = errorBodySchema.parse(await response.json()).error;
      expect({ name, refusedForMissingKey: code === 'IDEMPOTENCY_KEY_REQUIRED' }).toEqual({ name, refusedForMissingKey: keyRequired });
      expect({ name, documented: errorCodesDocumented(operation.responses[response.status]) }).toEqual({ name, documented: expect.arrayContaining([code]) });
    }
  });

  it('serves Swagger UI at /docs, without a token, from assets of its own only', async () => {
    const page = await fetch(`${gateway.url}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("connect-src 'self'");
    const html = await page.text();
    expect(html).toContain('<div id="swagger-ui"></div>');

    const assets = [...html.matchAll(/(?:src|href)=["']([^"']+)["']/g)].map(([, reference]) => new URL(reference, `${gateway.url}/docs`));
    expect(assets.map((asset) => asset.pathname)).toEqual(expect.arrayContaining(['/docs/swagger-ui-bundle.js', '/docs/swagger-ui.css', '/docs/swagger-ui-init.js']));
    for (const asset of assets) {
      expect(asset.origin).toBe(new URL(gateway.url).origin);
      const response = await fetch(asset);
      expect({ asset: asset.pathname, status: response.status }).toEqual({ asset: asset.pathname, status: 200 });
      const content = await response.text();
      expect(content.length).toBeGreaterThan(0);
      // The page gets the document inline, so it needs nothing but these files; nor does Swagger UI phone an online validator.
      if (asset.pathname.endsWith('swagger-ui-init.js')) {
        expect(content).toContain(`"title": "${document.info.title}"`);
        expect(content).toContain('"validatorUrl": null');
      }
    }

    // The relaxed policy is for the documentation only: the API keeps its own.
    const api = await fetch(`${gateway.url}/api/v1/products`);
    expect(api.headers.get('content-security-policy')).not.toContain("script-src 'self'");
  });

  it('is not served when API_DOCS_ENABLED=false', async () => {
    const withoutDocs = await startGateway(nats.url, { API_DOCS_ENABLED: 'false' });
    try {
      for (const path of ['/docs', '/docs/openapi.json', '/docs/swagger-ui-init.js', '/docs/swagger-ui-bundle.js']) {
        expect({ path, status: (await fetch(`${withoutDocs.url}${path}`)).status }).toEqual({ path, status: 404 });
      }
    } finally {
      await withoutDocs.app.close();
    }
  });
});
