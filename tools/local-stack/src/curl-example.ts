const EXAMPLE_ORDER = {
  items: [{ sku: 'SKU-TSHIRT', quantity: 1 }],
  shippingAddress: { name: 'Ada Lovelace', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
  payment: { token: 'tok_visa' },
};

// Node reads JSON fields out of the responses, so the snippet needs nothing beyond curl and Node.
const jsonField = (field: string): string => `node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).${field}'`;

/** A shell snippet that logs in, places an order and reads it back through the gateway. */
export function curlExample(gatewayUrl: string): string {
  return [
    `GATEWAY=${gatewayUrl}`,
    `TOKEN=$(curl -sS -X POST "$GATEWAY/api/v1/auth/dev-login" -H 'Content-Type: application/json' \\`,
    `  -d '{"userId":"alice","roles":["customer"]}' | ${jsonField('accessToken')})`,
    `ORDER_ID=$(curl -sS -X POST "$GATEWAY/api/v1/orders" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\`,
    `  -H "Idempotency-Key: $(uuidgen 2>/dev/null || node -p 'crypto.randomUUID()')" \\`,
    `  -d '${JSON.stringify(EXAMPLE_ORDER)}' | ${jsonField('orderId')})`,
    `curl -sS "$GATEWAY/api/v1/orders/$ORDER_ID" -H "Authorization: Bearer $TOKEN"; echo`,
  ].join('\n');
}
