export { createCarrierSimulator, type Address, type Shipment } from './carrier';
export type { FaultConfig, FaultRule, RouteStats } from './faults';
export { close, listen, type SimulatorOptions } from './json-http';
export { createPaymentProviderSimulator, MAX_AUTHORIZATION_AMOUNT, type Authorization, type Capture, type PaymentLedger, type Refund, type Void } from './payment-provider';
export { simulatorControl, startTestClient, type SimulatorControl, type TestClient } from './test-client';
