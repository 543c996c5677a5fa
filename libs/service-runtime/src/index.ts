export * from './bootstrap';
export * from './caller';
export * from './config';
export * from './http-error.filter';
export * from './read-failure';
export * from './request-id.middleware';
export * from './upstream-reads';
export * from './zod-validation.pipe';
