export * from './read-failure';
export * from './upstream-reads';
