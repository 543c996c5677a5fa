import { createResiliencePolicy, JsonHttpClient, type JsonReply, type PolicySettings, type ResiliencePolicy } from '@orders/resilience';
import { PermanentFailure } from '@orders/shared-kernel';
import { z } from 'zod';
import { SchedulingOutcome, Carrier } from '../application/carrier';
import { Address } from '../domain/address';

const bookedSchema = z.object({ id: z.string().min(1), trackingNumber: z.string().min(1).max(64) });
const refusalSchema = z.object({ error: z.object({ code: z.string() }) });

/**
 * Anti-corruption layer over the carrier's REST API: its paths, headers, status codes,
 * refusal codes and bodies stay here. Idempotency keys derive from the order and the step,
 * so however often an event is redelivered or a request retried, one parcel is booked and
 * cancelled.
 *
 * Every call goes through one resilience policy per instance (timeout, retry of transient
 * failures honouring Retry-After, circuit breaker, bulkhead), so all of the service's calls
 * to the carrier share the breaker and the concurrency limit.
 */
export class HttpCarrier extends Carrier {
  private readonly http: JsonHttpClient;
  /** Shared by every call to the provider; its breaker state is what monitoring watches. */
  readonly policy: ResiliencePolicy;

  constructor(baseUrl: string, policy: PolicySettings = {}) {
    super();
    this.policy = createResiliencePolicy({ ...policy, name: 'carrier' });
    this.http = new JsonHttpClient(baseUrl, this.policy);
  }

  async schedule({ orderId, address }: { orderId: string; address: Address }): Promise<SchedulingOutcome> {
    const path = '/v1/shipments';
    const reply = await this.http.request({
      method: 'POST',
      path,
      idempotencyKey: `shipment-${orderId}`,
      body: { reference: orderId, address: address.toJSON() },
      expectedStatuses: [201, 422],
    });
    if (reply.status === 201) {
      const booked = bookedSchema.parse(reply.body);
      return { kind: 'scheduled', carrierShipmentId: booked.id, trackingNumber: booked.trackingNumber };
    }
    switch (refusalCode(reply)) {
      case 'unsupported_destination':
        return { kind: 'unsupported-destination' };
      case 'undeliverable_address':
        return { kind: 'address-rejected' };
      default:
        throw unexpectedRefusal(reply, path);
    }
  }

  async cancel({ orderId, carrierShipmentId }: { orderId: string; carrierShipmentId: string }): Promise<void> {
    const path = `/v1/shipments/${encodeURIComponent(carrierShipmentId)}/cancel`;
    const reply = await this.http.request({ method: 'POST', path, idempotencyKey: `cancel-shipment-${orderId}`, expectedStatuses: [200, 409] });
    // Cancelled before under another key: the parcel is cancelled, which is all the port promises.
    if (reply.status === 200 || refusalCode(reply) === 'already_cancelled') return;
    throw unexpectedRefusal(reply, path);
  }
}

function refusalCode(reply: JsonReply): string | undefined {
  return refusalSchema.safeParse(reply.body).data?.error.code;
}

/** A refusal other than the outcomes we model will be repeated however often the request is sent. */
function unexpectedRefusal(reply: JsonReply, path: string): PermanentFailure {
  return new PermanentFailure(`carrier refused POST ${path} with ${reply.status}: ${JSON.stringify(reply.body)}`);
}
