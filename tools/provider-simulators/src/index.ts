export { createCarrierSimulator, type Address, type Shipment } from './carrier';
export { close, listen } from './json-http';
export {
  createPaymentProviderSimulator,
  type Authorization,
  type Capture,
  type PaymentLedger,
  type Refund,
  type Void,
} from './payment-provider';
