export * from './inventory.events';
export * from './order.events';
export * from './payment.events';
export * from './shipping.events';
