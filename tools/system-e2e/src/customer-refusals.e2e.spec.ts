import { MAX_AUTHORIZATION_AMOUNT } from '@orders/provider-simulators';
import { waitFor } from '@orders/testing';
import { expectQuiescence } from './chaos/quiescence';
import { ADDRESS, OrderRequest, platformForSuite } from './support/platform';

interface Refusal {
  what: string;
  order: OrderRequest;
  reason: string;
  /** The payment was authorized before the refusal, so the authorization must be voided. */
  authorizedFirst: boolean;
}

const REFUSALS: Refusal[] = [
  {
    what: 'a card token the payment provider does not know',
    order: { items: [{ sku: 'SKU-HOODIE', quantity: 2 }], shippingAddress: ADDRESS, payment: { token: 'tok_mastercard' } },
    reason: 'PAYMENT_DECLINED',
    authorizedFirst: false,
  },
  {
    what: 'a total above what the payment provider authorizes at once',
    order: { items: [{ sku: 'SKU-MUG', quantity: Math.ceil(MAX_AUTHORIZATION_AMOUNT / 1250) + 1 }], shippingAddress: ADDRESS, payment: { token: 'tok_visa' } },
    reason: 'PAYMENT_DECLINED',
    authorizedFirst: false,
  },
  {
    what: 'a postal code the carrier cannot deliver to',
    order: { items: [{ sku: 'SKU-CAP', quantity: 3 }], shippingAddress: { ...ADDRESS, postalCode: '1011' }, payment: { token: 'tok_visa' } },
    reason: 'ADDRESS_REJECTED',
    authorizedFirst: true,
  },
];

/**
 * Nothing a customer controls puts a message in the dead-letter queue: what a provider refuses
 * about the customer's input ends the order CANCELLED with its reason at once (long before the
 * saga deadline could time it out), with the stock back on sale and nothing charged.
 */
describe('customer refusals, end to end', () => {
  const platform = platformForSuite();

  it.each(REFUSALS)('$what → CANCELLED $reason at once, stock released, nothing charged, no dead letter', async ({ order, reason, authorizedFirst }) => {
    const [customer, ops] = [await platform.login('refused-customer'), await platform.login('refusals-ops', ['ops'])];
    const sku = order.items[0].sku;
    const orderId = await platform.place(customer, order);

    expect(await platform.settled(customer, orderId, 30_000)).toMatchObject({ status: 'CANCELLED', cancellationReason: reason });
    await waitFor(async () => ((await platform.stock()).get(sku)!.reserved === platform.initialStock.get(sku)!.reserved ? true : undefined), {
      timeoutMs: 30_000,
      description: `the ${sku} reservation to be released`,
    });
    await expectQuiescence(platform);

    expect((await platform.stock()).get(sku)).toEqual(platform.initialStock.get(sku));
    const ledger = await platform.paymentLedger(orderId);
    expect(ledger.authorizations.map((authorization) => authorization.status)).toEqual(authorizedFirst ? ['approved'] : []);
    expect(ledger.voids).toHaveLength(authorizedFirst ? 1 : 0);
    expect(ledger.captures).toHaveLength(0);
    expect(await platform.shipments(orderId)).toHaveLength(0);
    expect(await platform.deadLetters(ops)).toEqual([]);
  });
});
