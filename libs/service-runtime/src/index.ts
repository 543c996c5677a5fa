export * from './bootstrap';
export * from './config';
export * from './http-error.filter';
export * from './request-id.middleware';
export * from './zod-validation.pipe';
