import { createJsonServer } from './json-http';
import { startTestClient, type TestClient } from './test-client';

describe('createJsonServer', () => {
  let client: TestClient;
  let failuresLeft = 0;
  let executions = 0;

  beforeAll(async () => {
    client = await startTestClient(
      createJsonServer([
        {
          method: 'POST',
          path: '/items/:name',
          idempotent: true,
          handle: ({ params }) => {
            executions += 1;
            if (failuresLeft > 0) {
              failuresLeft -= 1;
              throw new Error('simulated bug');
            }
            return { status: 201, body: { name: params.name, execution: executions } };
          },
        },
      ]),
    );
  });

  afterAll(() => client.stop());

  beforeEach(() => {
    executions = 0;
  });

  afterEach(() => jest.restoreAllMocks());

  it('decodes path parameters', async () => {
    const response = await client.post('/items/blue%20chair', {});

    expect(response).toMatchObject({ status: 201, body: { name: 'blue chair' } });
  });

  it('answers an unexpected handler failure with a JSON 500 that is not stored for replay', async () => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    failuresLeft = 1;
    const failed = await client.post('/items/lamp', {}, { idempotencyKey: 'retry-me' });
    const retried = await client.post('/items/lamp', {}, { idempotencyKey: 'retry-me' });

    expect(failed.status).toBe(500);
    expect(failed.body).toMatchObject({ error: { code: 'internal_error' } });
    expect(retried).toMatchObject({ status: 201, body: { name: 'lamp', execution: 2 } });
  });

  it('records when each operation (route and Idempotency-Key) first reached it, faulted or retried, for rate checks', async () => {
    await client.reset();
    await client.setFaults({ rules: [{ route: 'POST /items/:name', failNext: { count: 1, status: 503 } }] });
    const before = Date.now();
    await client.post('/items/desk', {}, { idempotencyKey: 'first' });
    await client.post('/items/desk', {}, { idempotencyKey: 'first' });
    await client.post('/items/desk', {}, { idempotencyKey: 'second' });

    const operations = await client.operations();

    expect(operations['POST /items/:name']).toHaveLength(2);
    for (const arrivedAt of operations['POST /items/:name']) expect(arrivedAt).toBeGreaterThanOrEqual(before);
  });
});
