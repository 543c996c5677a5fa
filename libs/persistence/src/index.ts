export * from './migrate';
export * from './postgres-errors';
export * from './postgres-options';
