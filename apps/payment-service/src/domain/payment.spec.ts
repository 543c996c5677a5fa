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
    });
    payment.capture('cap_1');
    expect(payment.status).toBe('CAPTURED');
  });
});
