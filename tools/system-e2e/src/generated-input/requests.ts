import { MAX_AVAILABLE_UNITS, MAX_ITEMS_PER_ORDER, MAX_ORDER_PAGE_SIZE } from '@orders/contracts';
import { MAX_DEAD_LETTER_PAGE_SIZE } from '@orders/messaging';
import fc from 'fast-check';

/** Who a request claims to be: a customer's or an operator's valid token, none, or an authorization header of its own. */
export type Credentials = 'customer' | 'ops' | 'none' | 'tampered' | { authorization: string };

/** A fresh valid key (unique per request), none at all, or one given. */
export type IdempotencyKey = 'fresh' | 'none' | { value: string };

export interface GeneratedRequest {
  /** The public route it was generated for, e.g. `POST /api/v1/orders`. */
  route: string;
  method: string;
  /** Path and query string. */
  path: string;
  headers: Record<string, string>;
  credentials: Credentials;
  idempotencyKey: IdempotencyKey;
  body?: Buffer;
  /** What was changed from a request as the route's schemas describe it; with none, it must be answered one of `answers`. */
  mutations: MutationKind[];
  answers: readonly number[];
}

interface Route {
  method: 'GET' | 'POST' | 'PUT';
  /** With `{id}` for the path parameter. */
  path: string;
  credentials: 'customer' | 'ops' | 'none';
  idempotencyKey?: true;
  id?: fc.Arbitrary<string>;
  query?: Record<string, fc.Arbitrary<string>>;
  body?: fc.Arbitrary<unknown>;
  /** What a request as the schemas describe it is answered: a made-up id is not found. */
  answers: number[];
}

const MUTATION_KINDS = ['body', 'query', 'path', 'headers', 'credentials', 'method'] as const;
export type MutationKind = (typeof MUTATION_KINDS)[number];

// Valid values, as the contracts' zod schemas (libs/contracts) and the gateway's own define them.

const upperAlphanumeric = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');
const sku = fc.tuple(upperAlphanumeric, fc.string({ unit: fc.oneof(upperAlphanumeric, fc.constant('-')), minLength: 1, maxLength: 63 })).map(([first, rest]) => first + rest);
const catalogueSku = fc.constantFrom('SKU-TSHIRT', 'SKU-MUG', 'SKU-HOODIE');
/** Printable text on one line, any script and emoji, at most `maxLength` UTF-16 code units (the longest unit has five). */
const printableText = (maxLength: number) =>
  fc
    .string({ unit: fc.oneof(fc.constantFrom(...'abc XYZ-.,/#'), fc.constantFrom('é', 'ß', 'Ł', '山', '田', 'م', '🚀', '👩‍👧')), minLength: 1, maxLength: Math.floor(maxLength / 5) })
    .filter((text) => text.trim().length > 0);
const order = fc.record({
  items: fc.uniqueArray(fc.record({ sku: fc.oneof(catalogueSku, sku), quantity: fc.integer({ min: 1, max: 1000 }) }), {
    minLength: 1,
    maxLength: MAX_ITEMS_PER_ORDER,
    selector: (item) => item.sku,
  }),
  shippingAddress: fc.record({
    name: printableText(200),
    line1: printableText(200),
    city: printableText(100),
    postalCode: printableText(20),
    country: fc.stringMatching(/^[A-Z]{2}$/),
  }),
  payment: fc.record({ token: fc.oneof(fc.constantFrom('tok_visa', 'tok_declined'), fc.stringMatching(/^[\x21-\x7E]{1,200}$/)) }),
});
const devLogin = fc.record({ userId: fc.stringMatching(/^[A-Za-z0-9_.@-]{1,64}$/), roles: fc.subarray(['customer', 'ops', 'ops-editor'], { minLength: 1 }) });
const orderTime = fc.date({ min: new Date('2000-01-01T00:00:00.000Z'), max: new Date('2100-01-01T00:00:00.000Z'), noInvalidDate: true }).map((date) => date.toISOString());
const cursorOf = (content: unknown) => Buffer.from(JSON.stringify(content)).toString('base64url');
/** Order ids are UUIDs v4, as `randomUUID` makes them. */
const orderId = fc.uuid({ version: 4 });
const cursor = fc.tuple(orderTime, orderId).map(cursorOf);
const orderPage = { limit: fc.integer({ min: 1, max: MAX_ORDER_PAGE_SIZE }).map(String), cursor };
const deadLetterId = fc.integer({ min: 1, max: 999_999_999_999_999 }).map(String);
const stockCount = fc.record({ available: fc.integer({ min: 0, max: MAX_AVAILABLE_UNITS }) });
/** Bulk filters that match none of the platform's dead letters: ids far beyond any stream's and consumers no service has. */
const bulkSelection = fc.oneof(
  fc.record({ ids: fc.array(fc.integer({ min: 1_000_000_000_000, max: 999_999_999_999_999 }), { minLength: 1, maxLength: 20 }) }),
  fc.record(
    { consumer: fc.stringMatching(/^generated-[A-Za-z0-9_-]{1,40}$/), errorContains: printableText(200), kind: fc.constantFrom('permanent', 'exhausted') },
    { requiredKeys: ['consumer'] },
  ),
);
const auditQuery = {
  deadLetterId,
  actor: fc.stringMatching(/^[A-Za-z0-9_.@-]{1,64}$/),
  action: fc.constantFrom('replay', 'discard', 'edit-and-replay', 'bulk-replay', 'bulk-discard'),
  limit: fc.integer({ min: 1, max: 100 }).map(String),
  before: deadLetterId,
};

/** Every public route: the gateway's controllers and the BFF routes it forwards (api-docs/bff-routes.ts). */
const ROUTES: readonly Route[] = [
  { method: 'POST', path: '/api/v1/auth/dev-login', credentials: 'none', body: devLogin, answers: [200] },
  { method: 'GET', path: '/api/v1/products', credentials: 'customer', answers: [200] },
  { method: 'POST', path: '/api/v1/orders', credentials: 'customer', idempotencyKey: true, body: order, answers: [202] },
  { method: 'GET', path: '/api/v1/orders', credentials: 'customer', query: orderPage, answers: [200] },
  { method: 'GET', path: '/api/v1/orders/{id}', credentials: 'customer', id: orderId, answers: [404] },
  { method: 'POST', path: '/api/v1/orders/{id}/cancel', credentials: 'customer', idempotencyKey: true, id: orderId, answers: [404] },
  { method: 'GET', path: '/api/web/v1/orders/{id}', credentials: 'customer', id: orderId, answers: [404] },
  { method: 'GET', path: '/api/mobile/v1/orders', credentials: 'customer', query: orderPage, answers: [200] },
  { method: 'GET', path: '/api/mobile/v1/orders/{id}', credentials: 'customer', id: orderId, answers: [404] },
  {
    method: 'GET',
    path: '/api/v1/admin/dead-letters',
    credentials: 'ops',
    query: {
      service: fc.constantFrom('order-service', 'payment-service', 'shipping-service', 'inventory-service'),
      limit: fc.integer({ min: 1, max: MAX_DEAD_LETTER_PAGE_SIZE }).map(String),
      after: deadLetterId,
    },
    answers: [200],
  },
  { method: 'GET', path: '/api/v1/admin/dead-letters/{id}', credentials: 'ops', id: deadLetterId, answers: [404] },
  { method: 'POST', path: '/api/v1/admin/dead-letters/{id}/replay', credentials: 'ops', id: deadLetterId, answers: [404] },
  { method: 'POST', path: '/api/v1/admin/dead-letters/{id}/discard', credentials: 'ops', id: deadLetterId, answers: [404] },
  // The operator's token also has ops-editor.
  { method: 'POST', path: '/api/v1/admin/dead-letters/{id}/edit-and-replay', credentials: 'ops', id: deadLetterId, body: fc.record({ payload: fc.object() }), answers: [404] },
  { method: 'POST', path: '/api/v1/admin/dead-letters/replay', credentials: 'ops', body: bulkSelection, answers: [200] },
  { method: 'POST', path: '/api/v1/admin/dead-letters/discard', credentials: 'ops', body: bulkSelection, answers: [200] },
  { method: 'GET', path: '/api/v1/admin/audit', credentials: 'ops', query: auditQuery, answers: [200] },
  // A catalogue SKU is set, a made-up one is not found.
  { method: 'PUT', path: '/api/v1/admin/inventory/{id}', credentials: 'ops', id: fc.oneof(catalogueSku, sku), body: stockCount, answers: [200, 404] },
  { method: 'GET', path: '/docs/openapi.json', credentials: 'none', answers: [200] },
];

// What goes wrong.

/** Header-safe text as fetch sends it: printable ASCII and Latin-1. */
const headerText = (maxLength: number) =>
  fc.string({
    unit: fc
      .integer({ min: 0x20, max: 0xff })
      .filter((code) => code < 0x7f || code >= 0xa0)
      .map((code) => String.fromCharCode(code)),
    maxLength,
  });
/** Any UTF-16, unpaired surrogates included. */
const oddText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('\u0000', '\u202E', '\uFEFF', '\uD800', 'e\u0301', '👩‍👩‍👧', '\u2028', 'Ａ', "'; DROP TABLE orders;--", '../..', '%00', '{{7*7}}'),
);
const hugeOrOddNumber = fc.oneof(
  fc.constantFrom(0, -1, 0.5, 1e308, -1e308, 2 ** 53 + 2, -(2 ** 31), 2 ** 31, 2 ** 63, Number.MIN_VALUE),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const oddJson: fc.Arbitrary<unknown> = fc.oneof(
  hugeOrOddNumber,
  oddText,
  fc.constantFrom(null, true, false, [], {}, '', ' '.repeat(300), 'x'.repeat(5000)),
  fc.jsonValue({ maxDepth: 3 }),
);
const outOfRangeTime = fc.oneof(
  fc.constantFrom(
    '-010000-01-01T00:00:00.000Z',
    '+275760-09-13T00:00:00.000Z',
    '-271821-04-20T00:00:00.000Z',
    '0000-01-01T00:00:00.000Z',
    '1969-12-31T23:59:59.999Z',
    '+010000-01-01T00:00:00.000Z',
  ),
  fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((date) => date.toISOString()),
  fc.constantFrom('2026-02-30T00:00:00.000Z', '2026-01-01', 'yesterday', '', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00.000+01:00'),
);
const oddCursor = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(outOfRangeTime, orderId).map(cursorOf) },
  fc
    .tuple(
      orderTime,
      fc.oneof(
        oddText,
        fc.uuid().map((id) => id.toUpperCase()),
      ),
    )
    .map(cursorOf),
  fc.jsonValue({ maxDepth: 2 }).map(cursorOf),
  fc.tuple(orderTime, fc.uuid(), oddJson).map(cursorOf),
  fc.string({ unit: fc.constantFrom(...'ABCabc012-_+/='), maxLength: 300 }),
);
const oddQueryValue = fc.oneof(
  hugeOrOddNumber.map(String),
  fc.constantFrom('', '0x10', '1e2', ' 5', '5 ', 'Infinity', 'NaN', '-0', '00000000000000000000001', '9'.repeat(400)),
  oddText,
  oddCursor,
);

/** Percent-encodes the UTF-8 bytes of a string, so that unpaired surrogates become U+FFFD rather than an error. */
function percentEncoded(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).padStart(2, '0').toUpperCase()}`))
    .join('');
}

const oddPathSegment = fc.oneof(
  oddText.map(percentEncoded),
  fc.uint8Array({ minLength: 1, maxLength: 12 }).map((bytes) => [...bytes].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('')),
  fc.constantFrom(
    '%',
    '%E0%A4%A',
    '%zz',
    '..',
    '%2e%2e',
    '..%2F..%2Fadmin',
    '%2F',
    '%00',
    'x'.repeat(3000),
    '0',
    '-1',
    '1e3',
    '9007199254740993',
    '00000000-0000-0000-0000-000000000000',
  ),
  fc.uuid().map((id) => `${id}x`),
  fc.uuid().map((id) => id.toUpperCase()),
);

const contentTypes = fc.oneof(
  fc.constantFrom(
    'application/json; charset=utf8',
    'application/json;charset="UTF-8"',
    'APPLICATION/JSON',
    'application/json;;',
    'application/',
    'text',
    'application/json; charset',
    'application/json; charset=latin1',
    'application/json; charset=utf-16',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/vnd.api+json',
    'application/json, text/plain',
    '*/*',
    '',
  ),
  headerText(60),
);
const badTokens = fc.oneof(
  headerText(80).map((text) => ({ authorization: `Bearer ${text}` })),
  headerText(40).map((text) => ({ authorization: text })),
  fc.constantFrom(
    { authorization: 'Bearer' },
    { authorization: 'Basic YWRtaW46YWRtaW4=' },
    { authorization: `Bearer ${cursorOf({ alg: 'none', typ: 'JWT' })}.${cursorOf({ sub: 'mallory', roles: ['ops'] })}.` },
    { authorization: 'Bearer a.b.c Bearer d.e.f' },
  ),
  fc.constant('tampered' as const),
);
const extraHeaders = fc.dictionary(
  fc.constantFrom('x-request-id', 'x-user-id', 'x-user-roles', 'x-forwarded-for', 'traceparent', 'accept', 'content-encoding', 'x-deadline', 'accept-charset', 'x-correlation-id'),
  fc.oneof(headerText(60), fc.constantFrom('gzip', 'br', 'ops', '-1', '1.2.3.4, 999.1.1.1', '00-zz-zz-01')),
  { maxKeys: 3 },
);

/** The body as bytes, possibly broken on the way: duplicate keys, bytes that are not UTF-8, cut short, too large. */
const BREAKAGES = ['none', 'duplicate-key', 'invalid-utf8', 'truncated', 'oversized', 'not-json'] as const;

function encodedBody(value: unknown, breakage: (typeof BREAKAGES)[number], odd: unknown, position: number, noise: Uint8Array): Buffer {
  const text = JSON.stringify(value) ?? 'null';
  switch (breakage) {
    case 'none':
      return Buffer.from(text);
    case 'duplicate-key': {
      // The first member again at the end with another value: parsers disagree on which one wins.
      const members = typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.entries(value) : [['value', value]];
      const [first = ['value']] = members;
      return Buffer.from(`{${[...members, [first[0], odd]].map(([name, member]) => `${JSON.stringify(name)}:${JSON.stringify(member) ?? 'null'}`).join(',')}}`);
    }
    case 'invalid-utf8': {
      const bytes = Buffer.from(text);
      const at = position % (bytes.length + 1);
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(noise.length > 0 ? noise : [0xff]).map((byte) => byte | 0x80), bytes.subarray(at)]);
    }
    case 'truncated':
      return Buffer.from(text.slice(0, position % Math.max(text.length, 1)));
    case 'oversized':
      return Buffer.from(JSON.stringify({ value, padding: 'p'.repeat(20_000) }));
    case 'not-json':
      return Buffer.from(noise);
  }
}

/** A JSON value with one member replaced by an odd value, or removed, or one added. */
function mutatedJson(value: unknown): fc.Arbitrary<unknown> {
  const paths = pathsOf(value);
  return fc
    .record({
      path: fc.constantFrom(...paths),
      change: fc.constantFrom('replace', 'remove', 'add'),
      odd: oddJson,
      key: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'unitPrice', 'admin'), oddText),
    })
    .map(({ path, change, odd, key }) => {
      const copy: unknown = structuredClone(value);
      if (path.length === 0) return change === 'replace' ? odd : copy;
      const parent = path.slice(0, -1).reduce<unknown>((node, step) => (node as Record<string, unknown>)[step], copy) as Record<string, unknown>;
      const last = path[path.length - 1];
      if (change === 'replace') parent[last] = odd;
      else if (change === 'remove' && Array.isArray(parent)) parent.splice(Number(last), 1);
      else if (change === 'remove') delete parent[last];
      else if (typeof parent[last] === 'object' && parent[last] !== null) Object.defineProperty(parent[last], key, { value: odd, enumerable: true });
      return copy;
    });
}

function pathsOf(value: unknown, path: string[] = []): string[][] {
  const children = typeof value === 'object' && value !== null ? Object.keys(value) : [];
  return [path, ...children.flatMap((key) => pathsOf((value as Record<string, unknown>)[key], [...path, key]))];
}

const queryStringOf = (parameters: Array<[string, string]>) => (parameters.length === 0 ? '' : `?${parameters.map(([name, value]) => `${name}=${value}`).join('&')}`);

function requestFor(route: Route, mutations: MutationKind[]): fc.Arbitrary<GeneratedRequest> {
  const mutated = (kind: MutationKind) => mutations.includes(kind);
  const validQuery = fc
    .record(route.query ?? {}, { requiredKeys: [] })
    .map((values) => Object.entries(values).flatMap(([name, value]): Array<[string, string]> => (value === undefined ? [] : [[name, encodeURIComponent(value)]])));
  // One of the route's own parameters with an odd value (a cursor an odd cursor), or odd parameters added.
  const ownNames = Object.keys(route.query ?? {});
  const oddValueOf = (name: string) => (name === 'cursor' ? oddCursor : oddQueryValue).map((value): [string, string] => [name, percentEncoded(value)]);
  const oneReplaced = (names: string[]) =>
    fc.tuple(validQuery, fc.constantFrom(...names).chain(oddValueOf)).map(([valid, odd]) => [...valid.filter(([name]) => name !== odd[0]), odd]);
  const oddParameter = fc.tuple(
    fc.oneof(fc.constantFrom('limit', 'cursor', 'after', 'service', 'limit[]', 'cursor[a]', 'x'), oddText.map(percentEncoded)),
    oddQueryValue.map(percentEncoded),
  );
  const oddAdded = fc.tuple(validQuery, fc.array(oddParameter, { minLength: 1, maxLength: 3 })).map(([valid, odd]) => [...valid, ...odd]);
  const query = !mutated('query') ? validQuery : ownNames.length === 0 ? oddAdded : fc.oneof(oneReplaced(ownNames), oddAdded);
  const id = mutated('path') ? oddPathSegment : (route.id ?? fc.constant(''));
  const suffix = mutated('path') ? fc.constantFrom('', '/', '/x', '/../../admin/dead-letters', '//', '/%2e%2e/') : fc.constant('');
  const body = route.body ? (mutated('body') ? route.body.chain(mutatedJson) : route.body) : mutated('body') ? oddJson : fc.constant(undefined);
  const breakage = mutated('body') ? fc.constantFrom(...BREAKAGES) : fc.constant('none' as const);
  const method = mutated('method') ? fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS') : fc.constant(route.method);
  const contentType = mutated('headers') ? fc.option(contentTypes, { nil: undefined }) : fc.constant(route.body ? 'application/json' : undefined);
  const idempotencyKey: fc.Arbitrary<IdempotencyKey> = mutated('headers')
    ? fc.oneof(
        fc.constant('none' as const),
        fc.constant('fresh' as const),
        fc.oneof(headerText(250), fc.constantFrom('', ' ', 'my key', 'k'.repeat(201), 'key/1')).map((value) => ({ value })),
      )
    : fc.constant(route.idempotencyKey ? 'fresh' : 'none');
  const credentials: fc.Arbitrary<Credentials> = mutated('credentials')
    ? fc.oneof(fc.constantFrom<Credentials>('none', 'customer', 'ops'), badTokens)
    : fc.constant(route.credentials);
  return fc
    .record({
      query,
      id,
      suffix,
      body,
      breakage,
      odd: oddJson,
      position: fc.nat(),
      noise: fc.uint8Array({ maxLength: 8 }),
      method,
      contentType,
      extra: mutated('headers') ? extraHeaders : fc.constant({}),
      idempotencyKey,
      credentials,
    })
    .map((parts) => {
      const hasBody = parts.body !== undefined && parts.method !== 'GET';
      const headers: Record<string, string> = { ...parts.extra };
      if (parts.contentType !== undefined && hasBody) headers['content-type'] = parts.contentType;
      return {
        route: `${route.method} ${route.path}`,
        method: parts.method,
        path: route.path.replace('{id}', parts.id) + parts.suffix + queryStringOf(parts.query),
        headers,
        credentials: parts.credentials,
        idempotencyKey: parts.idempotencyKey,
        body: hasBody ? encodedBody(parts.body, parts.breakage, parts.odd, parts.position, parts.noise) : undefined,
        mutations,
        answers: route.answers,
      };
    });
}

/** Requests to every public route: a quarter as the schemas describe them, the rest with one or two parts of them broken. */
export const generatedRequest: fc.Arbitrary<GeneratedRequest> = fc
  .tuple(
    fc.constantFrom(...ROUTES),
    fc.oneof({ weight: 1, arbitrary: fc.constant<MutationKind[]>([]) }, { weight: 3, arbitrary: fc.subarray([...MUTATION_KINDS], { minLength: 1, maxLength: 2 }) }),
  )
  .chain(([route, mutations]) => requestFor(route, mutations));
