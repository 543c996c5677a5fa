import { buildOpsConsole, OPS_CONSOLE_DIR, opsConsoleUrl } from '@orders/local-stack';
import { simulatorControl } from '@orders/provider-simulators';
import { waitFor } from '@orders/testing';
import { openBrowser, screenshot, TestBrowser } from './support/browser';
import { orderOf, platformForSuite } from './support/platform';

const AUTHORIZATIONS = 'POST /v1/authorizations';

/**
 * The operations console in a real browser (Debian's Chromium, headless) against the whole
 * platform: an operator signs in, finds a dead letter in its group and, from the running sagas, the
 * order it holds back, replays it, sees the replay in its audit trail, and the order is confirmed;
 * an operator with ops-editor edits a payload and replays it; a customer's token gets nothing from
 * the admin API.
 */
describe('the operations console in a browser', () => {
  const platform = platformForSuite({ env: { gateway: { OPS_CONSOLE_DIR } } });
  let browser: TestBrowser;

  beforeAll(async () => {
    await buildOpsConsole();
    browser = await openBrowser();
  }, 120_000);

  afterAll(() => browser?.close());

  /** A customer's order held up by its payment authorization, dead-lettered, and an operator's token to find it. */
  async function orderWithDeadLetteredPayment(customerId: string) {
    const customer = await platform.login(customerId);
    // A refusal of ours (401 with a code the adapter does not know) is dead-lettered at once.
    await simulatorControl(platform.stack.urls['payment-provider-sim']).setFaults({ rules: [{ route: AUTHORIZATIONS, failNext: { count: 1, status: 401 } }] });
    const orderId = await platform.place(customer, orderOf([{ sku: 'SKU-MUG', quantity: 1 }]));
    const ops = await platform.login('operator', ['ops']);
    const letter = await waitFor(async () => (await platform.deadLetters(ops, 'payment-service')).find((candidate) => candidate.payload.data?.orderId === orderId), {
      timeoutMs: 60_000,
      description: 'the authorization to be dead-lettered',
    });
    return { customer, orderId, ops, letter };
  }

  it('an operator replays a dead-lettered payment from the console and the order is confirmed', async () => {
    const { page } = browser;
    const { customer, orderId, ops, letter } = await orderWithDeadLetteredPayment('console-customer');

    await page.goto(opsConsoleUrl(platform.stack.gatewayUrl));
    await screenshot(page, 'sign-in');
    await page.getByLabel('Operator id').fill('operator');
    await page.getByRole('button', { name: 'Sign in with dev-login' }).click();

    await page.getByRole('button', { name: `${letter.service} / ${letter.consumer}` }).click();
    await page.getByRole('link', { name: `#${letter.id} ${letter.subject}` }).click();
    const detail = page.getByRole('region', { name: `Dead letter #${letter.id}` });
    await detail.getByRole('link', { name: orderId }).waitFor();
    await detail.getByText(letter.error).waitFor();
    await screenshot(page, 'dead-letters');

    // Held up by its dead letter, the order's saga is still running, waiting for the authorization.
    await page.getByRole('link', { name: 'Sagas' }).click();
    const runningSaga = page
      .getByRole('table', { name: /^Running sagas/ })
      .getByRole('row')
      .filter({ has: page.getByRole('link', { name: orderId }) });
    await runningSaga.getByRole('cell', { name: 'PAYMENT_AUTHORIZED' }).waitFor();
    await runningSaga.getByRole('link', { name: `Dead letter #${letter.id}` }).waitFor();
    await screenshot(page, 'running-sagas');
    await runningSaga.getByRole('link', { name: `Dead letter #${letter.id}` }).click();
    await detail.getByRole('link', { name: orderId }).waitFor();

    // Editing payloads needs the ops-editor role, which this operator's token does not have.
    expect(await detail.getByRole('button', { name: 'Edit and replay…' }).count()).toBe(0);
    await detail.getByRole('button', { name: 'Replay…' }).click();
    const confirmation = page.getByRole('dialog', { name: 'Replay this dead letter?' });
    await confirmation.waitFor();
    await screenshot(page, 'replay-confirmation');
    await confirmation.getByRole('button', { name: 'Replay', exact: true }).click();
    await detail
      .getByRole('status')
      .filter({ hasText: `Replayed: published to ${letter.subject}` })
      .waitFor();
    const audit = detail.getByRole('table', { name: `Audit trail of dead letter #${letter.id}` });
    await audit
      .getByRole('row')
      .filter({ hasText: 'operator (ops)' })
      .getByRole('rowheader', { name: `Replayed #${letter.id} — succeeded` })
      .waitFor();
    await screenshot(page, 'audit-trail');

    // The saga page reads the order again every 2 s while it is PENDING.
    await page.getByRole('link', { name: 'Sagas' }).click();
    await page.getByLabel('Order id').fill(orderId);
    await page.getByRole('button', { name: 'Find' }).click();
    const status = page.getByRole('region', { name: 'Sagas' }).getByLabel('Order status');
    await status.filter({ hasText: 'CONFIRMED' }).waitFor({ timeout: 60_000 });
    await page.getByRole('rowheader', { name: 'INVENTORY_COMMITTED' }).waitFor();
    await screenshot(page, 'saga');

    await page.getByLabel('Customer id').fill('console-customer');
    await page.getByRole('button', { name: 'List orders' }).click();
    const customerOrders = page.getByRole('table', { name: /^Orders of console-customer/ });
    await customerOrders
      .getByRole('row')
      .filter({ has: page.getByRole('link', { name: orderId }) })
      .getByText('CONFIRMED')
      .waitFor();
    await screenshot(page, 'customer-orders');

    expect(await platform.settled(customer, orderId)).toMatchObject({ status: 'CONFIRMED' });
    expect((await platform.deadLetters(ops)).filter((candidate) => candidate.payload.data?.orderId === orderId)).toEqual([]);
    expect(browser.errors).toEqual([]);
  });

  it('an operator replays every dead letter a filter shows, after one confirmation', async () => {
    const { page } = browser;
    const customer = await platform.login('console-customer-2');
    await simulatorControl(platform.stack.urls['payment-provider-sim']).setFaults({ rules: [{ route: AUTHORIZATIONS, failNext: { count: 2, status: 401 } }] });
    const orderIds = [await platform.place(customer, orderOf([{ sku: 'SKU-MUG', quantity: 1 }])), await platform.place(customer, orderOf([{ sku: 'SKU-MUG', quantity: 1 }]))];
    const ops = await platform.login('operator', ['ops']);
    await waitFor(async () => ((await platform.deadLetters(ops, 'payment-service')).length === 2 ? true : undefined), {
      timeoutMs: 60_000,
      description: 'both authorizations to be dead-lettered',
    });

    await page.goto(opsConsoleUrl(platform.stack.gatewayUrl));
    await page.getByLabel('Service').selectOption('payment-service');
    await page.getByLabel('Error or subject contains').fill('injected_fault');
    await page.getByRole('button', { name: 'Replay all 2 shown…' }).click();
    await page.getByRole('dialog', { name: 'Replay 2 dead letters?' }).getByRole('button', { name: 'Replay 2' }).click();
    await page.getByRole('status').filter({ hasText: 'Replayed 2 of 2.' }).waitFor();

    for (const orderId of orderIds) expect(await platform.settled(customer, orderId)).toMatchObject({ status: 'CONFIRMED' });
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByLabel('Action').selectOption('bulk-replay');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByRole('rowheader', { name: /^Replayed in bulk #\d+, #\d+ — succeeded$/ }).waitFor();
  });

  it('an operator with ops-editor corrects a payload, sees the schema refuse a bad edit, confirms the changes and the order is confirmed', async () => {
    const { page } = browser;
    const { customer, orderId, letter } = await orderWithDeadLetteredPayment('console-customer-3');
    const payload = letter.payload as { correlationId: string; data: Record<string, unknown> };

    await page.goto(`${opsConsoleUrl(platform.stack.gatewayUrl)}#/dead-letters/${letter.id}`);
    await page.evaluate(() => sessionStorage.clear());
    await page.reload();
    await page.getByLabel('Operator id').fill('editor');
    await page.getByLabel('May edit payloads (ops-editor)').check();
    await page.getByRole('button', { name: 'Sign in with dev-login' }).click();
    const detail = page.getByRole('region', { name: `Dead letter #${letter.id}` });
    await detail.getByRole('button', { name: 'Edit and replay…' }).click();

    const editor = page.getByLabel('Edited payload (JSON)');
    await editor.fill(JSON.stringify({ ...payload, data: { ...payload.data, orderId: 'not-an-order' } }));
    await page.getByRole('button', { name: 'Check and replay…' }).click();
    await page
      .getByRole('list', { name: 'Problems with the edited payload' })
      .getByText(/^data\.orderId: /)
      .waitFor();

    const correlationId = `${payload.correlationId}-corrected`;
    await editor.fill(JSON.stringify({ ...payload, correlationId }, null, 2));
    await page.getByRole('button', { name: 'Check and replay…' }).click();
    const confirmation = page.getByRole('dialog', { name: 'Replay the edited payload?' });
    await confirmation.getByRole('list', { name: 'Changes' }).getByText(`correlationId: "${payload.correlationId}" → "${correlationId}"`).waitFor();
    await screenshot(page, 'edit-and-replay-confirmation');
    await confirmation.getByRole('button', { name: 'Replay edited' }).click();
    await detail
      .getByRole('status')
      .filter({ hasText: `Edited and replayed: published to ${letter.subject}` })
      .waitFor();
    await detail.getByRole('rowheader', { name: `Edited and replayed #${letter.id} — succeeded` }).waitFor();
    await detail.getByText(`Changed correlationId: "${payload.correlationId}" → "${correlationId}"`).waitFor();

    expect(await platform.settled(customer, orderId)).toMatchObject({ status: 'CONFIRMED' });
    // The browser reports the refused edit's answer (422) as an error; that refusal was the point.
    expect(browser.errors.filter((error) => !error.includes('status of 422'))).toEqual([]);
  });

  it("shows every service's readiness and every stream of the bus with its consumers' lag", async () => {
    const { page } = browser;
    await page.goto(`${opsConsoleUrl(platform.stack.gatewayUrl)}#/bus`);
    const inventoryEvents = page.getByRole('table', { name: /^INVENTORY \(/ });
    await inventoryEvents.getByRole('rowheader', { name: 'payment-service-inventory-reserved' }).waitFor();
    const services = page.getByRole('table', { name: /^Services: / });
    for (const service of ['order-service', 'inventory-service', 'payment-service', 'shipping-service']) {
      const row = services.getByRole('row').filter({ has: page.getByRole('rowheader', { name: service }) });
      await row.waitFor();
      expect(await row.getByRole('cell').nth(1).textContent()).toBe('ready');
    }
    await screenshot(page, 'bus');
  });

  it("a customer's token gets 403 from the admin API, and the console says so", async () => {
    const { page } = browser;
    const customer = await platform.login('curious-customer');
    expect((await platform.api('/api/v1/admin/dead-letters', { token: customer })).status).toBe(403);

    await page.goto(opsConsoleUrl(platform.stack.gatewayUrl));
    await page.evaluate(() => sessionStorage.clear());
    await page.reload();
    await page.getByLabel('Or an access token').fill(customer);
    await page.getByRole('button', { name: 'Use this token' }).click();
    await page.getByRole('alert').filter({ hasText: '403 FORBIDDEN' }).waitFor();
  });
});
