import { withPostgres } from '@orders/local-processes';
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { ADDRESS, OrderRequest, OrderServiceRows, platformForSuite } from './support/platform';

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

interface BadRequest {
  name: string;
  send: () => Promise<Answer>;
  status: number;
  code: string;
}

const VALID: OrderRequest = { items: [{ sku: 'SKU-TSHIRT', quantity: 1 }], shippingAddress: ADDRESS, payment: { token: 'tok_visa' } };
const ORDER_ID = '0b8e4c52-8a3f-4f53-9d7a-6f1e2c9b7a10';

/** The valid order with one part replaced; `undefined` drops the field. */
const withTop = (patch: Record<string, unknown>) => ({ ...VALID, ...patch });
const withItem = (item: unknown) => withTop({ items: [item] });
const withAddress = (patch: Record<string, unknown>) => withTop({ shippingAddress: { ...ADDRESS, ...patch } });
const withPayment = (payment: unknown) => withTop({ payment });
const items = (count: number) => Array.from({ length: count }, () => ({ sku: 'SKU-MUG', quantity: 1 }));
/** A cursor in the format order-service hands out, for a position it never handed out. */
const cursorAt = (createdAt: string, orderId = ORDER_ID) => Buffer.from(JSON.stringify([createdAt, orderId])).toString('base64url');
/** The valid order as bytes, with `bytes` inside the recipient's name. */
const withNameBytes = (bytes: number[]) => {
  const [before, after] = JSON.stringify(withAddress({ name: 'Ada NAME' })).split('NAME');
  return Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from(after)]);
};

/**
 * Bad input of every kind at the gateway gets a 4xx with a clear
 * error in the one error shape, never a 5xx, and nothing is written. Unknown SKUs are not
 * bad input (the catalogue may change after the client looked): they are accepted and the
 * order is cancelled OUT_OF_STOCK. Names and addresses may be in any script and hold emoji;
 * control characters, line breaks, unpaired surrogates and bidirectional overrides are refused.
 */
describe('bad input at the gateway, end to end', () => {
  const platform = platformForSuite();
  let customer: string;
  let ops: string;
  let before: OrderServiceRows;

  beforeAll(async () => {
    [customer, ops] = [await platform.login('bad-input'), await platform.login('bad-input-ops', ['ops'])];
    before = await platform.orderServiceRows();
  });

  async function send(path: string, init: { method?: string; headers?: Record<string, string>; body?: string | Buffer; token?: string | null } = {}): Promise<Answer> {
    const headers = new Headers(init.headers);
    const token = init.token === undefined ? customer : init.token;
    if (token !== null) headers.set('authorization', `Bearer ${token}`);
    const response = await fetch(`${platform.stack.gatewayUrl}${path}`, { method: init.method ?? 'GET', headers, body: init.body });
    return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
  }

  /** Places an order: `body` is serialized unless it is already text; a fresh valid Idempotency-Key unless `headers` says otherwise. */
  const order = (body: unknown, headers: Record<string, string> = {}) =>
    send('/api/v1/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...headers },
      body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
    });

  /** A request as raw bytes: `head` holds the request line and headers after Host, each ending in CRLF. */
  const raw =
    (head: string | Buffer, body = '') =>
    () =>
      platform.raw(
        Buffer.concat([
          Buffer.from(typeof head === 'string' ? head.replace('{token}', customer) : head.toString('latin1').replace('{token}', customer), 'latin1'),
          Buffer.from(`Connection: close\r\n\r\n${body}`),
        ]),
      );
  const rawOrder = (extraHeaders: string | Buffer, body = JSON.stringify(VALID)) =>
    raw(
      Buffer.concat([
        Buffer.from(
          `POST /api/v1/orders HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n`,
        ),
        Buffer.isBuffer(extraHeaders) ? extraHeaders : Buffer.from(extraHeaders, 'latin1'),
      ]),
      body,
    );

  const invalid = (name: string, body: unknown): BadRequest => ({ name, send: () => order(body), status: 400, code: 'VALIDATION_FAILED' });
  const malformed = (name: string, text: string): BadRequest => ({ name, send: () => order(text), status: 400, code: 'MALFORMED_JSON' });
  const unsupported = (name: string, headers: Record<string, string>, body: string | Buffer = JSON.stringify(VALID)): BadRequest => ({
    name,
    send: () => order(body, headers),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  });
  const badKey = (name: string, key: string, code = 'INVALID_IDEMPOTENCY_KEY'): BadRequest => ({ name, send: () => order(VALID, { 'idempotency-key': key }), status: 400, code });
  const unparsable = (name: string, send: () => Promise<Answer>): BadRequest => ({ name, send, status: 400, code: 'MALFORMED_REQUEST' });
  const unauthenticated = (name: string, authorization: string | undefined): BadRequest => ({
    name,
    send: () => send('/api/v1/orders', { token: null, headers: authorization === undefined ? {} : { authorization } }),
    status: 401,
    code: 'UNAUTHENTICATED',
  });
  const badQuery = (name: string, query: string, code = 'VALIDATION_FAILED'): BadRequest => ({ name, send: () => send(`/api/v1/orders?${query}`), status: 400, code });
  const badPath = (name: string, path: string, method = 'GET', status = 400, code = 'VALIDATION_FAILED'): BadRequest => ({
    name,
    send: () => send(path, { method, headers: method === 'POST' ? { 'idempotency-key': randomUUID() } : {} }),
    status,
    code,
  });
  const devLogin = (name: string, body: string, contentType = 'application/json', status = 400, code = 'VALIDATION_FAILED'): BadRequest => ({
    name,
    send: () => send('/api/v1/auth/dev-login', { method: 'POST', token: null, headers: { 'content-type': contentType }, body }),
    status,
    code,
  });

  const CASES: BadRequest[] = [
    // The body's shape.
    invalid('an empty object', {}),
    invalid('no items', withTop({ items: undefined })),
    invalid('items null', withTop({ items: null })),
    invalid('items a string', withTop({ items: 'SKU-TSHIRT' })),
    invalid('items an object', withTop({ items: { sku: 'SKU-TSHIRT', quantity: 1 } })),
    invalid('no item at all', withTop({ items: [] })),
    invalid('51 items, one over the limit', withTop({ items: items(51) })),
    invalid('101 items', withTop({ items: items(101) })),
    invalid('an item that is null', withItem(null)),
    invalid('an item that is a string', withItem('SKU-TSHIRT')),
    invalid('an item without a sku', withItem({ quantity: 1 })),
    invalid('an item without a quantity', withItem({ sku: 'SKU-TSHIRT' })),
    invalid('a numeric sku', withItem({ sku: 12345, quantity: 1 })),
    invalid('an empty sku', withItem({ sku: '', quantity: 1 })),
    invalid('a lower-case sku', withItem({ sku: 'sku-tshirt', quantity: 1 })),
    invalid('a sku with a space', withItem({ sku: 'SKU TSHIRT', quantity: 1 })),
    invalid('a 65-character sku', withItem({ sku: `SKU-${'X'.repeat(61)}`, quantity: 1 })),
    invalid('a sku with umlauts', withItem({ sku: 'SKU-ÄÖÜ', quantity: 1 })),
    invalid('a sku with SQL in it', withItem({ sku: "SKU'; DROP TABLE orders;--", quantity: 1 })),
    invalid('quantity 0', withItem({ sku: 'SKU-TSHIRT', quantity: 0 })),
    invalid('a negative quantity', withItem({ sku: 'SKU-TSHIRT', quantity: -1 })),
    invalid('a fractional quantity', withItem({ sku: 'SKU-TSHIRT', quantity: 1.5 })),
    invalid('a quantity as a string', withItem({ sku: 'SKU-TSHIRT', quantity: '2' })),
    invalid('quantity 1001, one over the limit', withItem({ sku: 'SKU-TSHIRT', quantity: 1001 })),
    invalid('a quantity of a billion', withItem({ sku: 'SKU-TSHIRT', quantity: 1e9 })),
    invalid('a quantity beyond 2^53', `{"items":[{"sku":"SKU-TSHIRT","quantity":9007199254740993}],"shippingAddress":${JSON.stringify(ADDRESS)},"payment":{"token":"tok_visa"}}`),
    invalid(
      'a quantity that overflows to Infinity',
      `{"items":[{"sku":"SKU-TSHIRT","quantity":1e400}],"shippingAddress":${JSON.stringify(ADDRESS)},"payment":{"token":"tok_visa"}}`,
    ),
    invalid('a null quantity', withItem({ sku: 'SKU-TSHIRT', quantity: null })),
    invalid('a boolean quantity', withItem({ sku: 'SKU-TSHIRT', quantity: true })),
    invalid(
      'the same SKU on two lines',
      withTop({
        items: [
          { sku: 'SKU-TSHIRT', quantity: 1 },
          { sku: 'SKU-TSHIRT', quantity: 2 },
        ],
      }),
    ),
    invalid('50 lines of 1000 units of one SKU', withTop({ items: Array.from({ length: 50 }, () => ({ sku: 'SKU-MUG', quantity: 1000 })) })),
    invalid('an item with a price of its own', withItem({ sku: 'SKU-TSHIRT', quantity: 1, unitPrice: { amount: 1, currency: 'EUR' } })),
    invalid('no shipping address', withTop({ shippingAddress: undefined })),
    invalid('a null shipping address', withTop({ shippingAddress: null })),
    invalid('a shipping address as one string', withTop({ shippingAddress: '1 Main St, Berlin' })),
    invalid('no name', withAddress({ name: undefined })),
    invalid('an empty name', withAddress({ name: '' })),
    invalid('a name of spaces only', withAddress({ name: '    ' })),
    invalid('a 201-character name', withAddress({ name: 'A'.repeat(201) })),
    invalid('a numeric name', withAddress({ name: 42 })),
    invalid('a name with a NUL character', withAddress({ name: 'Ada\u0000Lovelace' })),
    invalid('a name with a line break', withAddress({ name: 'Ada\nLovelace' })),
    invalid('a name with an unpaired surrogate', withAddress({ name: 'Ada \ud83d' })),
    invalid('a name with a right-to-left override', withAddress({ name: 'Ada \u202Eecalevol' })),
    invalid('a street with CRLF in it', withAddress({ line1: '1 Main St\r\nX-Injected: yes' })),
    invalid('a 201-character street', withAddress({ line1: 'S'.repeat(201) })),
    invalid('a 101-character city', withAddress({ city: 'C'.repeat(101) })),
    invalid('an empty city', withAddress({ city: '' })),
    invalid('a 21-character postal code', withAddress({ postalCode: '1'.repeat(21) })),
    invalid('a postal code with a tab inside', withAddress({ postalCode: '101\t15' })),
    invalid('a lower-case country', withAddress({ country: 'de' })),
    invalid('a three-letter country', withAddress({ country: 'DEU' })),
    invalid('an empty country', withAddress({ country: '' })),
    invalid('a numeric country', withAddress({ country: 276 })),
    invalid('a flag emoji for a country', withAddress({ country: '🇩🇪' })),
    invalid('an address with an extra field', withAddress({ floor: 3 })),
    invalid('no payment', withTop({ payment: undefined })),
    invalid('a null payment', withPayment(null)),
    invalid('a payment without a token', withPayment({})),
    invalid('an empty payment token', withPayment({ token: '' })),
    invalid('a 201-character payment token', withPayment({ token: `tok_${'x'.repeat(197)}` })),
    invalid('a payment token with a space', withPayment({ token: 'tok visa' })),
    invalid('a payment token with non-ASCII characters', withPayment({ token: 'tok_vísa' })),
    invalid('a numeric payment token', withPayment({ token: 4242 })),
    invalid('card data beside the token', withPayment({ token: 'tok_visa', cvv: '123' })),
    invalid('an unknown top-level field', withTop({ discount: 100 })),
    invalid(
      'a __proto__ field',
      `{"__proto__":{"admin":true},"items":[{"sku":"SKU-TSHIRT","quantity":1}],"shippingAddress":${JSON.stringify(ADDRESS)},"payment":{"token":"tok_visa"}}`,
    ),
    invalid('a constructor field', withTop({ constructor: { prototype: { admin: true } } })),
    invalid('a JSON array for a body', []),
    invalid('the order wrapped in an array', [VALID]),
    invalid('items nested 3000 arrays deep', `{"items":${'['.repeat(3000)}${']'.repeat(3000)},"shippingAddress":${JSON.stringify(ADDRESS)},"payment":{"token":"tok_visa"}}`),
    invalid('an empty body', ''),
    // JSON that does not parse.
    malformed('truncated JSON', '{"items":[{"sku":"SKU-TSHIRT",'),
    malformed('a trailing comma', '{"items":[],}'),
    malformed('single quotes', "{'items':[]}"),
    malformed('unquoted keys', '{items:[]}'),
    malformed('a comment', '{"items":[] // no\n}'),
    malformed('NaN', '{"items":[{"sku":"SKU-TSHIRT","quantity":NaN}]}'),
    malformed('a bare JSON string', '"an order, please"'),
    malformed('a bare number', '42'),
    malformed('null', 'null'),
    malformed('true', 'true'),
    { name: 'bytes that are not UTF-8', send: () => order(Buffer.from([0xff, 0xfe, 0x7b, 0x7d])), status: 400, code: 'MALFORMED_JSON' },
    { name: 'a name with a byte that is not UTF-8', send: () => order(withNameBytes([0xff])), status: 400, code: 'MALFORMED_JSON' },
    { name: 'a name with a truncated UTF-8 sequence', send: () => order(withNameBytes([0xc3])), status: 400, code: 'MALFORMED_JSON' },
    { name: 'a name with an overlong UTF-8 encoding', send: () => order(withNameBytes([0xc0, 0xaf])), status: 400, code: 'MALFORMED_JSON' },
    { name: 'a name with a UTF-8-encoded surrogate', send: () => order(withNameBytes([0xed, 0xa0, 0xbd])), status: 400, code: 'MALFORMED_JSON' },
    malformed('two JSON documents', `${JSON.stringify(VALID)}${JSON.stringify(VALID)}`),
    // Size, media type and encoding.
    { name: 'a 20 kB body', send: () => order(withAddress({ line1: 'x'.repeat(20_000) })), status: 413, code: 'PAYLOAD_TOO_LARGE' },
    { name: 'a 1 MB body', send: () => order(`{"padding":"${'x'.repeat(1_000_000)}"}`), status: 413, code: 'PAYLOAD_TOO_LARGE' },
    unsupported('text/plain', { 'content-type': 'text/plain' }),
    unsupported('a form', { 'content-type': 'application/x-www-form-urlencoded' }, 'items=SKU-TSHIRT'),
    unsupported('multipart', { 'content-type': 'multipart/form-data; boundary=x' }, '--x\r\nContent-Disposition: form-data; name="items"\r\n\r\n1\r\n--x--'),
    unsupported('XML', { 'content-type': 'application/xml' }, '<order/>'),
    unsupported('a +json vendor type', { 'content-type': 'application/vnd.api+json' }),
    unsupported('JSON in latin1', { 'content-type': 'application/json; charset=latin1' }),
    unsupported('JSON in UTF-16', { 'content-type': 'application/json; charset=utf-16' }),
    unsupported('a media type with an empty parameter', { 'content-type': 'application/json;;' }),
    unsupported('a media type without a subtype', { 'content-type': 'application/' }),
    unsupported('a media type without a slash', { 'content-type': 'text' }),
    unsupported('a parameter without a value', { 'content-type': 'application/json; charset' }),
    unsupported('an empty content type', { 'content-type': '' }),
    unsupported('a gzip-compressed body', { 'content-encoding': 'gzip' }, gzipSync(JSON.stringify(VALID))),
    unsupported('a brotli-compressed body', { 'content-encoding': 'br' }),
    {
      name: 'JSON without a content type',
      send: raw(
        `POST /api/v1/orders HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer {token}\r\nIdempotency-Key: no-type\r\nContent-Length: ${Buffer.byteLength(JSON.stringify(VALID))}\r\n`,
        JSON.stringify(VALID),
      ),
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    },
    // The Idempotency-Key header.
    {
      name: 'no Idempotency-Key',
      send: () => send('/api/v1/orders', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(VALID) }),
      status: 400,
      code: 'IDEMPOTENCY_KEY_REQUIRED',
    },
    badKey('an empty Idempotency-Key', '', 'IDEMPOTENCY_KEY_REQUIRED'),
    badKey('a blank Idempotency-Key', '   ', 'IDEMPOTENCY_KEY_REQUIRED'),
    badKey('a 201-character Idempotency-Key', 'k'.repeat(201)),
    badKey('a 10 kB Idempotency-Key', 'k'.repeat(10_000)),
    badKey('an Idempotency-Key with spaces', 'my key'),
    badKey('an Idempotency-Key with a slash', 'orders/1'),
    badKey('an Idempotency-Key in quotes', '"key-1"'),
    badKey('an Idempotency-Key with percent-encoded CRLF', 'key%0d%0aX-User-Id:%20mallory'),
    { name: 'two Idempotency-Keys', send: rawOrder('Idempotency-Key: first\r\nIdempotency-Key: second\r\n'), status: 400, code: 'INVALID_IDEMPOTENCY_KEY' },
    { name: 'an Idempotency-Key with a Latin-1 byte', send: rawOrder(Buffer.from('Idempotency-Key: caf\xe9\r\n', 'latin1')), status: 400, code: 'INVALID_IDEMPOTENCY_KEY' },
    { name: 'an Idempotency-Key with an emoji', send: rawOrder(Buffer.from('Idempotency-Key: key-🚀\r\n', 'utf8')), status: 400, code: 'INVALID_IDEMPOTENCY_KEY' },
    {
      name: 'an Idempotency-Key on a cancel that is too long',
      send: () => send(`/api/v1/orders/${ORDER_ID}/cancel`, { method: 'POST', headers: { 'idempotency-key': 'k'.repeat(201) } }),
      status: 400,
      code: 'INVALID_IDEMPOTENCY_KEY',
    },
    { name: 'a cancel without an Idempotency-Key', send: () => send(`/api/v1/orders/${ORDER_ID}/cancel`, { method: 'POST' }), status: 400, code: 'IDEMPOTENCY_KEY_REQUIRED' },
    // Header injection and requests that are not valid HTTP.
    unparsable('an identity header smuggled in with a bare LF', rawOrder('Idempotency-Key: key-1\nX-User-Id: mallory\r\n')),
    unparsable('a bare CR inside a header value', rawOrder('Idempotency-Key: key-1\rX-User-Id: mallory\r\n')),
    unparsable('a NUL byte inside a header value', rawOrder('Idempotency-Key: key-\u00001\r\n')),
    unparsable('a folded header continuation line', rawOrder('Idempotency-Key: key-1\r\n X-User-Id: mallory\r\n')),
    unparsable('a header name with a space', rawOrder('Idempotency Key: key-1\r\n')),
    unparsable('a space before the colon', rawOrder('Idempotency-Key : key-1\r\n')),
    unparsable('Content-Length and Transfer-Encoding together', rawOrder('Idempotency-Key: key-1\r\nTransfer-Encoding: chunked\r\n')),
    unparsable('two different Content-Lengths', rawOrder('Idempotency-Key: key-1\r\nContent-Length: 3\r\n')),
    unparsable('a negative Content-Length', raw('POST /api/v1/orders HTTP/1.1\r\nHost: gateway\r\nContent-Length: -1\r\n')),
    unparsable('a space in the request target', raw('GET /api/v1/orders /x HTTP/1.1\r\nHost: gateway\r\n')),
    {
      name: 'headers over 16 kB',
      send: raw(`GET /api/v1/orders HTTP/1.1\r\nHost: gateway\r\nX-Padding: ${'p'.repeat(20_000)}\r\n`),
      status: 431,
      code: 'REQUEST_HEADER_FIELDS_TOO_LARGE',
    },
    // Who is asking.
    unauthenticated('no Authorization header', undefined),
    unauthenticated('a Bearer scheme without a token', 'Bearer'),
    unauthenticated('Basic credentials', 'Basic YWRtaW46YWRtaW4='),
    unauthenticated('a token that is not a JWT', 'Bearer not-a-jwt'),
    unauthenticated(
      'an unsigned token (alg none)',
      `Bearer ${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"mallory","roles":["ops"]}').toString('base64url')}.`,
    ),
    unauthenticated('two tokens', 'Bearer a.b.c Bearer d.e.f'),
    { name: 'a customer on an operator route', send: () => send('/api/v1/admin/dead-letters'), status: 403, code: 'FORBIDDEN' },
    // Paths and query strings.
    badPath('an order id that is not a UUID', '/api/v1/orders/not-a-uuid'),
    badPath('a numeric order id', '/api/v1/orders/123'),
    badPath('a UUID with a suffix', `/api/v1/orders/${ORDER_ID}x`),
    badPath('a path climbing out with encoded slashes', '/api/v1/orders/..%2F..%2Fadmin%2Fdead-letters'),
    badPath('a broken percent-encoding', '/api/v1/orders/%E0%A4%A', 'GET', 400, 'BAD_REQUEST'),
    badPath('a cancel of an order id that is not a UUID', '/api/v1/orders/not-a-uuid/cancel', 'POST'),
    badPath('an unknown order', `/api/v1/orders/${ORDER_ID}`, 'GET', 404, 'ORDER_NOT_FOUND'),
    badPath('a cancel of an unknown order', `/api/v1/orders/${ORDER_ID}/cancel`, 'POST', 404, 'ORDER_NOT_FOUND'),
    badPath('an unknown route', '/api/v1/refunds', 'GET', 404, 'NOT_FOUND'),
    badPath('DELETE on the orders', '/api/v1/orders', 'DELETE', 404, 'NOT_FOUND'),
    badPath('PUT on an order', `/api/v1/orders/${ORDER_ID}`, 'PUT', 404, 'NOT_FOUND'),
    badQuery('a page size of 0', 'limit=0'),
    badQuery('a page size of 1000', 'limit=1000'),
    badQuery('a page size that is not a number', 'limit=ten'),
    badQuery('a cursor no page returned', 'cursor=not-a-cursor', 'INVALID_CURSOR'),
    badQuery('a 201-character cursor', `cursor=${'c'.repeat(201)}`),
    badQuery('a cursor before PostgreSQL’s earliest time', `cursor=${cursorAt('-010000-01-01T00:00:00.000Z')}`, 'INVALID_CURSOR'),
    badQuery('a cursor at the latest time JavaScript knows', `cursor=${cursorAt('+275760-09-13T00:00:00.000Z')}`, 'INVALID_CURSOR'),
    badQuery('a cursor with an order id that is not a UUID', `cursor=${cursorAt('2026-01-01T00:00:00.000Z', 'x'.repeat(40))}`, 'INVALID_CURSOR'),
    badQuery('two cursors', `cursor=${cursorAt('2026-01-01T00:00:00.000Z')}&cursor=${cursorAt('2026-01-01T00:00:00.000Z')}`),
    badQuery('two page sizes', 'limit=1&limit=2'),
    badQuery('a page size beyond 2^53', 'limit=9007199254740993'),
    // The same mistakes through the backends-for-frontends get the same codes.
    badPath('on mobile, a cursor no page returned', '/api/mobile/v1/orders?cursor=not-a-cursor', 'GET', 400, 'INVALID_CURSOR'),
    badPath('on mobile, a cursor before PostgreSQL’s earliest time', `/api/mobile/v1/orders?cursor=${cursorAt('-010000-01-01T00:00:00.000Z')}`, 'GET', 400, 'INVALID_CURSOR'),
    badPath('on mobile, a cursor at the latest time JavaScript knows', `/api/mobile/v1/orders?cursor=${cursorAt('+275760-09-13T00:00:00.000Z')}`, 'GET', 400, 'INVALID_CURSOR'),
    badPath('on mobile, a 201-character cursor', `/api/mobile/v1/orders?cursor=${'c'.repeat(201)}`),
    badPath('on mobile, a page size of 0', '/api/mobile/v1/orders?limit=0'),
    badPath('on mobile, a page size of 1000', '/api/mobile/v1/orders?limit=1000'),
    badPath('on mobile, an order id that is not a UUID', '/api/mobile/v1/orders/not-a-uuid'),
    badPath('on mobile, an unknown order', `/api/mobile/v1/orders/${ORDER_ID}`, 'GET', 404, 'ORDER_NOT_FOUND'),
    badPath('on the web, an order id that is not a UUID', '/api/web/v1/orders/not-a-uuid'),
    badPath('on the web, an unknown order', `/api/web/v1/orders/${ORDER_ID}`, 'GET', 404, 'ORDER_NOT_FOUND'),
    { name: 'a dead-letter id that is not a number', send: () => send('/api/v1/admin/dead-letters/abc', { token: ops }), status: 400, code: 'VALIDATION_FAILED' },
    // Dev login.
    devLogin('a dev login without roles', '{"userId":"eve"}'),
    devLogin('a dev login for an unknown role', '{"userId":"eve","roles":["admin"]}'),
    devLogin('a dev login with a user id holding a space', '{"userId":"eve smith","roles":["customer"]}'),
    devLogin('a dev login with an extra field', '{"userId":"eve","roles":["customer"],"isAdmin":true}'),
    devLogin('a dev login with broken JSON', '{"userId":', 'application/json', 400, 'MALFORMED_JSON'),
    devLogin('a dev login as a form', 'userId=eve&roles=ops', 'application/x-www-form-urlencoded', 415, 'UNSUPPORTED_MEDIA_TYPE'),
  ];

  it('has a case for a hundred kinds of bad input at least', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(100);
    expect(new Set(CASES.map((badRequest) => badRequest.name)).size).toBe(CASES.length);
  });

  it.each(CASES.map((badRequest) => [badRequest.name, badRequest] as const))('refuses %s with a 4xx in the error shape', async (_name, badRequest) => {
    const answer = await badRequest.send();
    let body: unknown;
    try {
      body = JSON.parse(answer.body);
    } catch {
      throw new Error(`Answered ${answer.status} with a body that is not JSON: ${answer.body.slice(0, 200)}`);
    }
    expect({ status: answer.status, body }).toEqual({
      status: badRequest.status,
      body: { error: { code: badRequest.code, message: expect.any(String), ...detailsOf(body) }, requestId: expect.any(String) },
    });
    expect((body as { error: { message: string } }).error.message.length).toBeGreaterThan(0);
    expect(answer.headers['x-request-id']).toBe((body as { requestId: string }).requestId);
  });

  it('wrote nothing for any of them: no order, no outbox message, no Idempotency-Key', async () => {
    expect(await platform.orderServiceRows()).toEqual(before);
    expect(await platform.orderServiceRows('bad-input')).toEqual({ orders: 0, outbox: 0, idempotencyKeys: 0 });
  });

  describe('input that looks odd but is valid', () => {
    it.each([
      ['accents', { name: 'José Müller-Łukasiewicz', city: 'Kraków' }],
      ['CJK', { name: '山田 太郎', line1: '千代田区1-1', city: '東京' }],
      ['a right-to-left script', { name: 'محمد عبد الله', city: 'القاهرة' }],
      ['emoji, joined ones included', { name: 'Ada 🚀 👩‍👩‍👧', line1: '1 Rainbow St 🌈' }],
    ])('accepts a shipping address in %s and confirms the order with the address as written', async (_case, patch) => {
      const placed = await order(withAddress(patch));
      expect(placed.status).toBe(202);
      const { orderId } = JSON.parse(placed.body) as { orderId: string };
      expect((await platform.settled(customer, orderId)).status).toBe('CONFIRMED');
      expect(await storedAddress(orderId)).toMatchObject(patch);
    });

    it.each(['application/json; charset=utf8', 'application/json;charset="UTF-8"', 'Application/JSON'])('accepts an order sent as %s', async (contentType) => {
      const placed = await order(VALID, { 'content-type': contentType });
      expect({ status: placed.status, body: JSON.parse(placed.body) }).toEqual({ status: 202, body: { orderId: expect.any(String), status: 'PENDING' } });
    });

    it('accepts an order for an unknown SKU and cancels it OUT_OF_STOCK without charging anything', async () => {
      const placed = await order(withItem({ sku: 'SKU-DOES-NOT-EXIST', quantity: 1 }));
      expect(placed.status).toBe(202);
      const { orderId } = JSON.parse(placed.body) as { orderId: string };
      expect(await platform.settled(customer, orderId)).toMatchObject({ status: 'CANCELLED', cancellationReason: 'OUT_OF_STOCK' });
      const ledger = await platform.paymentLedger(orderId);
      expect(ledger.authorizations).toEqual([]);
      expect(ledger.captures).toEqual([]);
    });
  });

  /** The shipping address order-service stored, straight from its database. */
  function storedAddress(orderId: string): Promise<Record<string, string>> {
    return withPostgres(
      platform.stack.databaseUrls.order,
      async (client) => (await client.query(`SELECT shipping_address FROM orders WHERE id = $1`, [orderId])).rows[0].shipping_address,
    );
  }
});

/** The details an answer carries, if any, which a case does not pin down. */
function detailsOf(body: unknown): { details?: unknown } {
  const details = (body as { error?: { details?: unknown } }).error?.details;
  return details === undefined ? {} : { details };
}
