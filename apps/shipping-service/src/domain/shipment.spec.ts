import { DomainError } from '@orders/shared-kernel';
import { Address } from './address';
import { Shipment } from './shipment';

const berlin = { name: 'Ada Lovelace', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' };

function requested(): Shipment {
  return Shipment.request({ id: 's1', orderId: 'o1', address: Address.of(berlin) });
}

describe('Address', () => {
  it('keeps every line, trimmed', () => {
    expect(Address.of({ ...berlin, city: '  Berlin ' }).toJSON()).toEqual(berlin);
  });

  it.each([
    ['a blank line', { ...berlin, line1: '   ' }],
    ['a missing city', { ...berlin, city: '' }],
    ['a lower-case country', { ...berlin, country: 'de' }],
    ['a country name', { ...berlin, country: 'Germany' }],
  ])('rejects %s', (_case, props) => {
    expect(() => Address.of(props)).toThrow(DomainError);
  });
});

describe('Shipment', () => {
  it('is requested with the address and nothing booked yet', () => {
    const shipment = requested();
    expect([shipment.status, shipment.trackingNumber, shipment.carrierShipmentId]).toEqual(['REQUESTED', null, null]);
    expect(shipment.address?.toJSON()).toEqual(berlin);
    expect(shipment.addressToBook().toJSON()).toEqual(berlin);
  });

  it('is scheduled with the carrier booking', () => {
    const shipment = requested();
    shipment.schedule({ carrierShipmentId: 'shp_1', trackingNumber: 'TRK0000000001' });
    expect([shipment.status, shipment.carrierShipmentId, shipment.trackingNumber]).toEqual(['SCHEDULED', 'shp_1', 'TRK0000000001']);
  });

  it('fails without a booking', () => {
    const shipment = requested();
    shipment.fail();
    expect([shipment.status, shipment.trackingNumber]).toEqual(['FAILED', null]);
  });

  it('settles only once', () => {
    const scheduled = requested();
    scheduled.schedule({ carrierShipmentId: 'shp_1', trackingNumber: 'TRK0000000001' });
    expect(() => scheduled.schedule({ carrierShipmentId: 'shp_2', trackingNumber: 'TRK0000000002' })).toThrow(DomainError);
    expect(() => scheduled.fail()).toThrow(DomainError);
    expect(scheduled.trackingNumber).toBe('TRK0000000001');

    const failed = requested();
    failed.fail();
    expect(() => failed.schedule({ carrierShipmentId: 'shp_1', trackingNumber: 'TRK0000000001' })).toThrow(DomainError);
    expect(failed.status).toBe('FAILED');
  });

  it('restores the state it was saved in', () => {
    const shipment = Shipment.restore({
      id: 's1',
      orderId: 'o1',
      address: Address.of(berlin),
      status: 'SCHEDULED',
      trackingNumber: 'TRK1',
      carrierShipmentId: 'shp_1',
      bookingCancelled: false,
    });
    expect(() => shipment.fail()).toThrow(DomainError);
    expect(() => shipment.addressToBook()).toThrow(DomainError);
  });

  describe('compensation', () => {
    const booking = { carrierShipmentId: 'shp_1', trackingNumber: 'TRK0000000001' };

    it('cancels a requested shipment without the carrier, and then never books it', () => {
      const shipment = requested();
      expect(shipment.compensation()).toEqual({ kind: 'cancel' });

      shipment.cancel();
      expect([shipment.status, shipment.bookingCancelled]).toEqual(['CANCELLED', false]);
      expect(shipment.compensation()).toEqual({ kind: 'none' });
      expect(() => shipment.addressToBook()).toThrow(DomainError);
      expect(() => shipment.schedule(booking)).toThrow(DomainError);
      expect(() => shipment.fail()).toThrow(DomainError);
      expect(() => shipment.cancelBooking()).toThrow(DomainError);
    });

    it('cancels a booked parcel with the carrier, once, keeping its tracking number', () => {
      const shipment = requested();
      shipment.schedule(booking);
      expect(shipment.compensation()).toEqual({ kind: 'cancel-booking', carrierShipmentId: 'shp_1' });
      expect(() => shipment.cancel()).toThrow(DomainError);

      shipment.cancelBooking();
      expect([shipment.status, shipment.bookingCancelled, shipment.trackingNumber]).toEqual(['CANCELLED', true, 'TRK0000000001']);
      expect(shipment.compensation()).toEqual({ kind: 'none' });
      expect(() => shipment.cancelBooking()).toThrow(DomainError);
    });

    it('has nothing to undo for a failed shipment', () => {
      const shipment = requested();
      shipment.fail();
      expect(shipment.compensation()).toEqual({ kind: 'none' });
      expect(() => shipment.cancel()).toThrow(DomainError);
      expect(() => shipment.cancelBooking()).toThrow(DomainError);
    });

    it('stays cancelled, without an address, when the order was cancelled before it was requested', () => {
      const shipment = Shipment.cancelledBeforeRequest({ id: 's1', orderId: 'o1' });
      expect([shipment.status, shipment.address, shipment.carrierShipmentId]).toEqual(['CANCELLED', null, null]);
      expect(shipment.compensation()).toEqual({ kind: 'none' });
      expect(() => shipment.addressToBook()).toThrow(DomainError);
    });

    it('holds a parcel booked after the order was cancelled until the carrier cancels it', () => {
      const shipment = requested();
      shipment.cancel();
      shipment.recordLateBooking(booking);
      expect([shipment.status, shipment.holdsLateBooking, shipment.trackingNumber]).toEqual(['CANCELLED', true, 'TRK0000000001']);
      expect(shipment.compensation()).toEqual({ kind: 'cancel-booking', carrierShipmentId: 'shp_1' });
      expect(() => shipment.recordLateBooking({ carrierShipmentId: 'shp_2', trackingNumber: 'TRK0000000002' })).toThrow(DomainError);

      shipment.cancelBooking();
      expect([shipment.status, shipment.holdsLateBooking, shipment.bookingCancelled]).toEqual(['CANCELLED', false, true]);
      expect(shipment.compensation()).toEqual({ kind: 'none' });
    });

    it('names the address an unanswered booking may have used only while it is cancelled and holds none', () => {
      const cancelled = requested();
      cancelled.cancel();
      expect(cancelled.addressOfUnansweredBooking()?.toJSON()).toEqual(berlin);
      expect(requested().addressOfUnansweredBooking()).toBeNull();
      expect(Shipment.cancelledBeforeRequest({ id: 's1', orderId: 'o1' }).addressOfUnansweredBooking()).toBeNull();
      cancelled.recordLateBooking(booking);
      expect(cancelled.addressOfUnansweredBooking()).toBeNull();
    });

    it('takes a late booking only on a cancelled shipment', () => {
      expect(() => requested().recordLateBooking(booking)).toThrow(DomainError);
      const scheduled = requested();
      scheduled.schedule(booking);
      expect(() => scheduled.recordLateBooking(booking)).toThrow(DomainError);
    });
  });
});
