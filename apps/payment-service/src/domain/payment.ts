import { DomainError, Money } from '@orders/shared-kernel';

export type PaymentStatus = 'PENDING' | 'AUTHORIZED' | 'CAPTURED' | 'DECLINED';

export interface PaymentProps {
  id: string;
  orderId: string;
  /** Provider token (never card data) the customer gave when placing the order. */
  token: string;
  status: PaymentStatus;
  /** Unknown until stock is reserved and the order is priced. */
  amount: Money | null;
  providerAuthorizationId: string | null;
  providerCaptureId: string | null;
}

/**
 * The payment of one order: opened when the order is placed, then authorized (or
 * declined) once its total is known, and captured when it ships. Every step happens
 * once, in that order.
 */
export class Payment {
  private constructor(private readonly props: PaymentProps) {}

  static open(input: { id: string; orderId: string; token: string }): Payment {
    return new Payment({ ...input, status: 'PENDING', amount: null, providerAuthorizationId: null, providerCaptureId: null });
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

  get token(): string {
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

  private transition(from: PaymentStatus, to: PaymentStatus): void {
    if (this.props.status !== from) {
      throw new DomainError('ILLEGAL_PAYMENT_TRANSITION', `Payment ${this.id} is ${this.status}; it must be ${from} to become ${to}`);
    }
    this.props.status = to;
  }
}
