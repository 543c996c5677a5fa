import { DomainError, Money } from '@orders/shared-kernel';

export type PaymentStatus = 'PENDING' | 'AUTHORIZED' | 'CAPTURED' | 'DECLINED' | 'VOIDED' | 'REFUNDED' | 'CANCELLED';

export interface PaymentProps {
  id: string;
  orderId: string;
  /** Provider token (never card data) the customer gave when placing the order; unknown when the order was cancelled first. */
  token: string | null;
  status: PaymentStatus;
  /** Unknown until stock is reserved and the order is priced. */
  amount: Money | null;
  providerAuthorizationId: string | null;
  providerCaptureId: string | null;
  providerRefundId: string | null;
}

/**
 * What undoing the payment takes at the provider when its order is cancelled or
 * cannot ship: nothing, only stopping the saga (no money was touched yet),
 * releasing the authorization, or giving the captured money back.
 */
export type PaymentCompensation =
  { kind: 'none' } | { kind: 'cancel' } | { kind: 'void'; providerAuthorizationId: string; amount: Money } | { kind: 'refund'; providerCaptureId: string; amount: Money };

/**
 * The payment of one order: opened when the order is placed, then authorized (or
 * declined) once its total is known, and captured when it ships. Every step happens
 * once, in that order. A cancelled order compensates whatever was reached: a pending
 * payment is cancelled so it is never authorized, an authorization is voided, a
 * capture is refunded.
 */
export class Payment {
  private constructor(private readonly props: PaymentProps) {}

  static open(input: { id: string; orderId: string; token: string }): Payment {
    return new Payment({ ...input, status: 'PENDING', amount: null, providerAuthorizationId: null, providerCaptureId: null, providerRefundId: null });
  }

  /** The order was cancelled before it was placed here (events crossed): the payment exists only so it is never opened. */
  static cancelledBeforeOpening(input: { id: string; orderId: string }): Payment {
    return new Payment({
      ...input,
      token: null,
      status: 'CANCELLED',
      amount: null,
      providerAuthorizationId: null,
      providerCaptureId: null,
      providerRefundId: null,
    });
  }

  static restore(props: PaymentProps): Payment {
    return new Payment({ ...props });
  }

  get id(): string {
    return this.props.id;
  }

  get orderId(): string {
    return this.props.orderId;
  }

  get token(): string | null {
    return this.props.token;
  }

  get status(): PaymentStatus {
    return this.props.status;
  }

  get amount(): Money | null {
    return this.props.amount;
  }

  get providerAuthorizationId(): string | null {
    return this.props.providerAuthorizationId;
  }

  get providerCaptureId(): string | null {
    return this.props.providerCaptureId;
  }

  get providerRefundId(): string | null {
    return this.props.providerRefundId;
  }

  /**
   * The provider approved an authorization after the order was cancelled; it is
   * held here until it is voided, so the card is never left on hold.
   */
  get holdsLateAuthorization(): boolean {
    return this.props.status === 'CANCELLED' && this.props.providerAuthorizationId !== null;
  }

  /** The token to authorize with: only a pending payment may be authorized. */
  tokenToAuthorize(): string {
    const { status, token } = this.props;
    if (status !== 'PENDING' || token === null) {
      throw new DomainError('PAYMENT_NOT_PENDING', `Payment ${this.id} is ${status}; only a pending payment can be authorized`);
    }
    return token;
  }

  /**
   * The token an earlier authorization request may have been sent with although its answer
   * never came back: a payment cancelled while pending. Null when nothing can have been
   * authorized (never opened, or the authorization is known).
   */
  tokenOfUnansweredAuthorization(): string | null {
    const { status, token, providerAuthorizationId } = this.props;
    return status === 'CANCELLED' && providerAuthorizationId === null ? token : null;
  }

  authorize(amount: Money, providerAuthorizationId: string): void {
    this.transition('PENDING', 'AUTHORIZED');
    this.props.amount = amount;
    this.props.providerAuthorizationId = providerAuthorizationId;
  }

  /** Keeps the amount that was refused, so the payment shows what the customer tried to pay. */
  decline(amount: Money): void {
    this.transition('PENDING', 'DECLINED');
    this.props.amount = amount;
  }

  capture(providerCaptureId: string): void {
    this.transition('AUTHORIZED', 'CAPTURED');
    this.props.providerCaptureId = providerCaptureId;
  }

  /** The authorization to capture, in full: partial captures are not part of the business. */
  authorizationToCapture(): { providerAuthorizationId: string; amount: Money } {
    const { status, providerAuthorizationId, amount } = this.props;
    if (status !== 'AUTHORIZED' || !providerAuthorizationId || !amount) {
      throw new DomainError('PAYMENT_NOT_AUTHORIZED', `Payment ${this.id} is ${status}; only an authorized payment can be captured`);
    }
    return { providerAuthorizationId, amount };
  }

  compensation(): PaymentCompensation {
    const { status, providerAuthorizationId, providerCaptureId, amount } = this.props;
    if (status === 'PENDING') return { kind: 'cancel' };
    if ((status === 'AUTHORIZED' || this.holdsLateAuthorization) && providerAuthorizationId && amount) {
      return { kind: 'void', providerAuthorizationId, amount };
    }
    if (status === 'CAPTURED' && providerCaptureId && amount) return { kind: 'refund', providerCaptureId, amount };
    return { kind: 'none' };
  }

  /** Nothing was authorized yet: the payment ends here and is never authorized. */
  cancel(): void {
    this.transition('PENDING', 'CANCELLED');
  }

  /** Records an authorization the provider approved while the order was being cancelled, so it gets voided. */
  recordLateAuthorization(amount: Money, providerAuthorizationId: string): void {
    if (this.props.status !== 'CANCELLED' || this.holdsLateAuthorization) {
      throw new DomainError('ILLEGAL_PAYMENT_TRANSITION', `Payment ${this.id} is ${this.status}; only a cancelled payment can hold a late authorization`);
    }
    this.props.amount = amount;
    this.props.providerAuthorizationId = providerAuthorizationId;
  }

  void(): void {
    if (this.compensation().kind !== 'void') {
      throw new DomainError('ILLEGAL_PAYMENT_TRANSITION', `Payment ${this.id} is ${this.status}; it holds no authorization to void`);
    }
    this.props.status = 'VOIDED';
  }

  refund(providerRefundId: string): void {
    this.transition('CAPTURED', 'REFUNDED');
    this.props.providerRefundId = providerRefundId;
  }

  private transition(from: PaymentStatus, to: PaymentStatus): void {
    if (this.props.status !== from) {
      throw new DomainError('ILLEGAL_PAYMENT_TRANSITION', `Payment ${this.id} is ${this.status}; it must be ${from} to become ${to}`);
    }
    this.props.status = to;
  }
}
