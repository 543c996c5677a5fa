import { DomainError } from '@orders/shared-kernel';
import { Address } from './address';

export type ShipmentStatus = 'REQUESTED' | 'SCHEDULED' | 'FAILED' | 'CANCELLED';

export interface ShipmentProps {
  id: string;
  orderId: string;
  /** Unknown only when the order was cancelled before it was placed here. */
  address: Address | null;
  status: ShipmentStatus;
  /** Set once the carrier booked the parcel. */
  trackingNumber: string | null;
  carrierShipmentId: string | null;
  /** The carrier booking was cancelled with the carrier. */
  bookingCancelled: boolean;
}

/**
 * What undoing the shipment takes when its order is cancelled: nothing, only
 * stopping it from being booked, or cancelling the parcel with the carrier.
 */
export type ShipmentCompensation = { kind: 'none' } | { kind: 'cancel' } | { kind: 'cancel-booking'; carrierShipmentId: string };

/**
 * The delivery of one order: requested when the order is placed, then booked with
 * the carrier (scheduled) once it is paid for, or failed when the carrier cannot
 * take it. A cancelled order cancels it: a requested shipment is never booked, a
 * booked parcel is cancelled with the carrier.
 */
export class Shipment {
  private constructor(private readonly props: ShipmentProps) {}

  static request(input: { id: string; orderId: string; address: Address }): Shipment {
    return new Shipment({ ...input, status: 'REQUESTED', trackingNumber: null, carrierShipmentId: null, bookingCancelled: false });
  }

  /** The order was cancelled before it was placed here (events crossed): the shipment exists only so it is never requested. */
  static cancelledBeforeRequest(input: { id: string; orderId: string }): Shipment {
    return new Shipment({ ...input, address: null, status: 'CANCELLED', trackingNumber: null, carrierShipmentId: null, bookingCancelled: false });
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

  get address(): Address | null {
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

  get bookingCancelled(): boolean {
    return this.props.bookingCancelled;
  }

  /** The carrier booked the parcel after the order was cancelled; it is held here until it is cancelled with the carrier. */
  get holdsLateBooking(): boolean {
    return this.props.status === 'CANCELLED' && this.props.carrierShipmentId !== null && !this.props.bookingCancelled;
  }

  /** Where to book the parcel: only a requested shipment may be booked. */
  addressToBook(): Address {
    const { status, address } = this.props;
    if (status !== 'REQUESTED' || address === null) {
      throw new DomainError('SHIPMENT_SETTLED', `Shipment ${this.id} is ${status}; only a requested shipment can be booked`);
    }
    return address;
  }

  /**
   * Where an earlier booking request may have sent the parcel although its answer never
   * came back: a shipment cancelled while requested. Null when nothing can have been booked
   * (never requested, or the booking is known).
   */
  addressOfUnansweredBooking(): Address | null {
    const { status, address, carrierShipmentId } = this.props;
    return status === 'CANCELLED' && carrierShipmentId === null ? address : null;
  }

  schedule(booking: { carrierShipmentId: string; trackingNumber: string }): void {
    this.settle('SCHEDULED');
    this.book(booking);
  }

  fail(): void {
    this.settle('FAILED');
  }

  compensation(): ShipmentCompensation {
    const { status, carrierShipmentId } = this.props;
    if (status === 'REQUESTED') return { kind: 'cancel' };
    if ((status === 'SCHEDULED' || this.holdsLateBooking) && carrierShipmentId) return { kind: 'cancel-booking', carrierShipmentId };
    return { kind: 'none' };
  }

  /** Nothing was booked yet: the shipment ends here and is never booked. */
  cancel(): void {
    this.settle('CANCELLED');
  }

  /** Records a booking the carrier made while the order was being cancelled, so it gets cancelled with the carrier. */
  recordLateBooking(booking: { carrierShipmentId: string; trackingNumber: string }): void {
    if (this.props.status !== 'CANCELLED' || this.props.carrierShipmentId !== null) {
      throw new DomainError('SHIPMENT_SETTLED', `Shipment ${this.id} is ${this.status}; only a cancelled shipment without a booking can take a late one`);
    }
    this.book(booking);
  }

  /** The carrier cancelled the booked parcel. */
  cancelBooking(): void {
    if (this.compensation().kind !== 'cancel-booking') {
      throw new DomainError('SHIPMENT_NOT_BOOKED', `Shipment ${this.id} is ${this.status}; it holds no booking to cancel`);
    }
    this.props.status = 'CANCELLED';
    this.props.bookingCancelled = true;
  }

  private book(booking: { carrierShipmentId: string; trackingNumber: string }): void {
    this.props.carrierShipmentId = booking.carrierShipmentId;
    this.props.trackingNumber = booking.trackingNumber;
  }

  private settle(next: ShipmentStatus): void {
    if (this.props.status !== 'REQUESTED') {
      throw new DomainError('SHIPMENT_SETTLED', `Shipment ${this.id} is already ${this.status}, it cannot become ${next}`);
    }
    this.props.status = next;
  }
}
