export * from './bff.http';
export * from './orders.http';
export * from './inventory.http';
