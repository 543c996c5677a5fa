import { DomainError, Money } from '@orders/shared-kernel';
import { Payment } from './payment';

const total = Money.of(2599, 'EUR');

function pending(): Payment {
  return Payment.open({ id: 'p1', orderId: 'o1', token: 'tok_visa' });
}

function authorized(): Payment {
  const payment = pending();
  payment.authorize(total, 'auth_1');
  return payment;
}

describe('Payment', () => {
  it('opens pending, without an amount until the order is priced', () => {
    const payment = pending();
    expect([payment.status, payment.amount, payment.token]).toEqual(['PENDING', null, 'tok_visa']);
  });

  it('is authorized for the order total, then captured in full', () => {
    const payment = authorized();
    expect([payment.status, payment.amount, payment.providerAuthorizationId]).toEqual(['AUTHORIZED', total, 'auth_1']);
    expect(payment.authorizationToCapture()).toEqual({ providerAuthorizationId: 'auth_1', amount: total });

    payment.capture('cap_1');
    expect([payment.status, payment.providerCaptureId]).toEqual(['CAPTURED', 'cap_1']);
  });

  it('keeps the refused amount when declined', () => {
    const payment = pending();
    payment.decline(total);
    expect([payment.status, payment.amount, payment.providerAuthorizationId]).toEqual(['DECLINED', total, null]);
  });

  it('authorizes or declines only while pending', () => {
    const payment = authorized();
    expect(() => payment.authorize(total, 'auth_2')).toThrow(DomainError);
    expect(() => payment.decline(total)).toThrow(DomainError);
    expect(payment.providerAuthorizationId).toBe('auth_1');

    const declined = pending();
    declined.decline(total);
    expect(() => declined.authorize(total, 'auth_3')).toThrow(DomainError);
  });

  it('captures only an authorized payment, and only once', () => {
    expect(() => pending().capture('cap_1')).toThrow(DomainError);
    expect(() => pending().authorizationToCapture()).toThrow(DomainError);

    const declined = pending();
    declined.decline(total);
    expect(() => declined.capture('cap_1')).toThrow(DomainError);

    const captured = authorized();
    captured.capture('cap_1');
    expect(() => captured.capture('cap_2')).toThrow(DomainError);
    expect(() => captured.authorizationToCapture()).toThrow(DomainError);
    expect(captured.providerCaptureId).toBe('cap_1');
  });

  it('restores the state it was saved in', () => {
    const payment = Payment.restore({
      id: 'p1',
      orderId: 'o1',
      token: 'tok_visa',
      status: 'AUTHORIZED',
      amount: total,
      providerAuthorizationId: 'auth_1',
      providerCaptureId: null,
      providerRefundId: null,
    });
    payment.capture('cap_1');
    expect(payment.status).toBe('CAPTURED');
  });

  it('hands out the token only while it may still be authorized', () => {
    expect(pending().tokenToAuthorize()).toBe('tok_visa');
    expect(() => authorized().tokenToAuthorize()).toThrow(DomainError);
    const cancelled = pending();
    cancelled.cancel();
    expect(() => cancelled.tokenToAuthorize()).toThrow(DomainError);
  });

  describe('compensation', () => {
    function captured(): Payment {
      const payment = authorized();
      payment.capture('cap_1');
      return payment;
    }

    it('cancels a pending payment at no cost, and then never authorizes it', () => {
      const payment = pending();
      expect(payment.compensation()).toEqual({ kind: 'cancel' });

      payment.cancel();
      expect(payment.status).toBe('CANCELLED');
      expect(payment.compensation()).toEqual({ kind: 'none' });
      expect(() => payment.authorize(total, 'auth_1')).toThrow(DomainError);
      expect(() => payment.decline(total)).toThrow(DomainError);
      expect(() => payment.cancel()).toThrow(DomainError);
    });

    it('voids an authorization, once, and never captures it afterwards', () => {
      const payment = authorized();
      expect(payment.compensation()).toEqual({ kind: 'void', providerAuthorizationId: 'auth_1', amount: total });

      payment.void();
      expect([payment.status, payment.amount, payment.providerAuthorizationId]).toEqual(['VOIDED', total, 'auth_1']);
      expect(payment.compensation()).toEqual({ kind: 'none' });
      expect(() => payment.void()).toThrow(DomainError);
      expect(() => payment.capture('cap_1')).toThrow(DomainError);
      expect(() => payment.authorizationToCapture()).toThrow(DomainError);
    });

    it('refunds a capture in full, once', () => {
      const payment = captured();
      expect(payment.compensation()).toEqual({ kind: 'refund', providerCaptureId: 'cap_1', amount: total });
      expect(() => payment.void()).toThrow(DomainError);

      payment.refund('ref_1');
      expect([payment.status, payment.providerRefundId]).toEqual(['REFUNDED', 'ref_1']);
      expect(payment.compensation()).toEqual({ kind: 'none' });
      expect(() => payment.refund('ref_2')).toThrow(DomainError);
      expect(payment.providerRefundId).toBe('ref_1');
    });

    it('has nothing to undo for a declined payment', () => {
      const payment = pending();
      payment.decline(total);
      expect(payment.compensation()).toEqual({ kind: 'none' });
      expect(() => payment.void()).toThrow(DomainError);
      expect(() => payment.refund('ref_1')).toThrow(DomainError);
      expect(() => payment.cancel()).toThrow(DomainError);
    });

    it('refuses to void or refund what was not reached', () => {
      expect(() => pending().void()).toThrow(DomainError);
      expect(() => pending().refund('ref_1')).toThrow(DomainError);
      expect(() => authorized().refund('ref_1')).toThrow(DomainError);
      expect(() => authorized().cancel()).toThrow(DomainError);
    });

    it('stays cancelled, without a token, when the order was cancelled before it was opened', () => {
      const payment = Payment.cancelledBeforeOpening({ id: 'p1', orderId: 'o1' });
      expect([payment.status, payment.token, payment.amount]).toEqual(['CANCELLED', null, null]);
      expect(payment.compensation()).toEqual({ kind: 'none' });
      expect(() => payment.tokenToAuthorize()).toThrow(DomainError);
      expect(() => payment.authorize(total, 'auth_1')).toThrow(DomainError);
    });

    it('holds an authorization approved after the order was cancelled until it is voided', () => {
      const payment = pending();
      payment.cancel();
      expect(payment.holdsLateAuthorization).toBe(false);

      payment.recordLateAuthorization(total, 'auth_late');
      expect([payment.status, payment.holdsLateAuthorization]).toEqual(['CANCELLED', true]);
      expect(payment.compensation()).toEqual({ kind: 'void', providerAuthorizationId: 'auth_late', amount: total });
      expect(() => payment.recordLateAuthorization(total, 'auth_other')).toThrow(DomainError);
      expect(() => payment.capture('cap_1')).toThrow(DomainError);

      payment.void();
      expect([payment.status, payment.holdsLateAuthorization, payment.providerAuthorizationId]).toEqual(['VOIDED', false, 'auth_late']);
      expect(payment.compensation()).toEqual({ kind: 'none' });
    });

    it('names the token an unanswered authorization may have used only while it is cancelled and holds none', () => {
      const cancelled = pending();
      cancelled.cancel();
      expect(cancelled.tokenOfUnansweredAuthorization()).toBe('tok_visa');
      expect(pending().tokenOfUnansweredAuthorization()).toBeNull();
      expect(authorized().tokenOfUnansweredAuthorization()).toBeNull();
      expect(Payment.cancelledBeforeOpening({ id: 'p1', orderId: 'o1' }).tokenOfUnansweredAuthorization()).toBeNull();
      cancelled.recordLateAuthorization(total, 'auth_late');
      expect(cancelled.tokenOfUnansweredAuthorization()).toBeNull();
    });

    it('takes a late authorization only on a cancelled payment', () => {
      expect(() => pending().recordLateAuthorization(total, 'auth_1')).toThrow(DomainError);
      expect(() => authorized().recordLateAuthorization(total, 'auth_2')).toThrow(DomainError);
    });
  });
});
