export * from './clock';
export * from './domain-error';
export * from './identifiers';
export * from './money';
export * from './permanent-failure';
