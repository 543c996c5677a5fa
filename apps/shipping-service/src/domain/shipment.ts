import { DomainError } from '@orders/shared-kernel';
import { Address } from './address';

export type ShipmentStatus = 'REQUESTED' | 'SCHEDULED' | 'FAILED';

export interface ShipmentProps {
  id: string;
  orderId: string;
  address: Address;
  status: ShipmentStatus;
  /** Set once the carrier booked the parcel. */
  trackingNumber: string | null;
  carrierShipmentId: string | null;
}

/**
 * The delivery of one order: requested when the order is placed, then booked with
 * the carrier (scheduled) once it is paid for, or failed when the carrier cannot
 * take it. It is settled once and never changes afterwards.
 */
export class Shipment {
  private constructor(private readonly props: ShipmentProps) {}

  static request(input: { id: string; orderId: string; address: Address }): Shipment {
    return new Shipment({ ...input, status: 'REQUESTED', trackingNumber: null, carrierShipmentId: null });
  }

  static restore(props: ShipmentProps): Shipment {
    return new Shipment({ ...props });
  }

  get id(): string {
    return this.props.id;
  }

  get orderId(): string {
    return this.props.orderId;
  }

  get address(): Address {
    return this.props.address;
  }

  get status(): ShipmentStatus {
    return this.props.status;
  }

  get trackingNumber(): string | null {
    return this.props.trackingNumber;
  }

  get carrierShipmentId(): string | null {
    return this.props.carrierShipmentId;
  }

  schedule(booking: { carrierShipmentId: string; trackingNumber: string }): void {
    this.settle('SCHEDULED');
    this.props.carrierShipmentId = booking.carrierShipmentId;
    this.props.trackingNumber = booking.trackingNumber;
  }

  fail(): void {
    this.settle('FAILED');
  }

  private settle(next: ShipmentStatus): void {
    if (this.props.status !== 'REQUESTED') {
      throw new DomainError('SHIPMENT_SETTLED', `Shipment ${this.id} is already ${this.status}, it cannot become ${next}`);
    }
    this.props.status = next;
  }
}
