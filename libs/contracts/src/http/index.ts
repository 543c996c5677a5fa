export * from './bff.http';
export * from './orders.http';
