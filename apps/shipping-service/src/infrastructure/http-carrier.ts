import { z } from 'zod';
import { BookingOutcome, Carrier } from '../application/carrier';
import { Address } from '../domain/address';

const TIMEOUT_MS = 5_000;

const bookedSchema = z.object({ id: z.string().min(1), trackingNumber: z.string().min(1).max(64) });
const refusalSchema = z.object({ error: z.object({ code: z.string() }) });

interface CarrierReply {
  status: number;
  text: string;
}

/**
 * Anti-corruption layer over the carrier's REST API: its paths, headers, status
 * codes and bodies stay here. The idempotency key derives from the order, so
 * however often an event is redelivered one parcel is booked.
 */
export class HttpCarrier extends Carrier {
  constructor(private readonly baseUrl: string) {
    super();
  }

  async book({ orderId, address }: { orderId: string; address: Address }): Promise<BookingOutcome> {
    const path = '/v1/shipments';
    const reply = await this.post(path, `shipment-${orderId}`, { reference: orderId, address: address.toJSON() });
    if (reply.status === 201) {
      const booked = bookedSchema.parse(JSON.parse(reply.text));
      return { kind: 'booked', carrierShipmentId: booked.id, trackingNumber: booked.trackingNumber };
    }
    if (reply.status === 422 && refusalCode(reply.text) === 'unsupported_destination') return { kind: 'unsupported-destination' };
    // Anything else is an error, never an outcome: 5xx and 429 are transient, and a refused
    // request needs a fix on our side; either way the event is redelivered rather than acked.
    throw new Error(`Carrier answered ${reply.status} to POST ${path}: ${reply.text.slice(0, 500)}`);
  }

  private async post(path: string, idempotencyKey: string, body: unknown): Promise<CarrierReply> {
    try {
      const response = await fetch(new URL(path, this.baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      return { status: response.status, text: await response.text() };
    } catch (error) {
      throw new Error(`Carrier unreachable on POST ${path}: ${failureCause(error)}`, { cause: error });
    }
  }
}

function refusalCode(text: string): string | undefined {
  try {
    return refusalSchema.safeParse(JSON.parse(text)).data?.error.code;
  } catch {
    return undefined;
  }
}

/** fetch only says "fetch failed"; its cause (refused, reset, DNS) is what an operator needs. A timeout has no cause. */
function failureCause(error: unknown): string {
  return String((error as { cause?: unknown } | null)?.cause ?? error);
}
