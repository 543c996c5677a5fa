export * from './inventory.queries';
export * from './order.queries';
export * from './payment.queries';
export * from './shipping.queries';
